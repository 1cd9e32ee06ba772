# tests/e2e/test_seal_restart.py: init, unseal, seal, and a restart on SQLite keeping every secret.
import base64
import os
import stat

import hvac
import pytest
import requests

from conftest import start_dev


def init_and_unseal(srv, shares=3, threshold=2):
    client = srv.client()
    assert client.sys.is_initialized() is False
    result = client.sys.initialize(secret_shares=shares, secret_threshold=threshold)
    keys = result["keys_base64"]
    assert len(keys) == shares and result["root_token"]
    assert client.sys.is_sealed()
    status = client.sys.submit_unseal_key(keys[0])
    assert status["sealed"] is True and status["progress"] == 1
    status = client.sys.submit_unseal_key(keys[1])
    assert status["sealed"] is False
    return keys, result["root_token"]


def test_uninitialised_server_answers(config_server):
    srv = config_server()
    assert requests.get(srv.url("sys/init")).json() == {"initialized": False}
    assert requests.get(srv.url("sys/health")).status_code == 501
    resp = requests.get(srv.url("secret/data/x"), headers={"X-Vault-Token": "x"})
    assert resp.status_code == 503


def test_init_twice_is_400(config_server):
    srv = config_server()
    init_and_unseal(srv)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        srv.client().sys.initialize(secret_shares=1, secret_threshold=1)


def test_seal_then_unseal(config_server):
    srv = config_server()
    keys, root_token = init_and_unseal(srv)
    root = srv.client(root_token)
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    root.secrets.kv.v2.create_or_update_secret("a", secret={"v": "1"})
    root.sys.seal()
    assert root.sys.is_sealed()
    resp = requests.get(srv.url("secret/data/a"), headers={"X-Vault-Token": root_token})
    assert resp.status_code == 503
    assert resp.json()["errors"] == ["Vault is sealed"]
    assert requests.get(srv.url("sys/health")).status_code == 503
    root.sys.submit_unseal_keys(keys[:2])
    assert root.secrets.kv.v2.read_secret_version("a")["data"]["data"] == {"v": "1"}


def test_wrong_unseal_key_resets(config_server):
    srv = config_server()
    keys, root_token = init_and_unseal(srv)
    client = srv.client(root_token)
    client.sys.seal()
    client.sys.submit_unseal_key(keys[0])
    # A well-formed share that is not one of ours: flip a bit of the second share's secret part.
    raw = bytearray(base64.b64decode(keys[1]))
    raw[0] ^= 0x01
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.submit_unseal_key(base64.b64encode(bytes(raw)).decode())
    assert client.sys.read_seal_status()["progress"] == 0


def test_restart_on_sqlite_keeps_everything(config_server, tmp_path):
    srv = config_server()
    keys, root_token = init_and_unseal(srv)
    root = srv.client(root_token)
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    root.sys.enable_secrets_engine("kv", path="v1", options={"version": "1"})
    written = {}
    for i in range(25):
        root.secrets.kv.v2.create_or_update_secret(f"app/s{i}", secret={"i": str(i)})
        written[f"app/s{i}"] = {"i": str(i)}
    root.secrets.kv.v2.create_or_update_secret("app/s0", secret={"i": "updated"})
    root.secrets.kv.v1.create_or_update_secret("plain", secret={"p": "q"}, mount_point="v1")
    assert srv.stop() == 0

    db = tmp_path / "cellar.db"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert b"updated" not in db.read_bytes()  # values are encrypted at rest

    srv2 = config_server()
    client = srv2.client(root_token)
    assert client.sys.is_initialized() and client.sys.is_sealed()
    client.sys.submit_unseal_keys(keys[1:3])
    for path, value in written.items():
        data = client.secrets.kv.v2.read_secret_version(path)["data"]
        if path == "app/s0":
            assert data["data"] == {"i": "updated"} and data["metadata"]["version"] == 2
            old = client.secrets.kv.v2.read_secret_version(path, version=1)["data"]["data"]
            assert old == value
        else:
            assert data["data"] == value
    assert client.secrets.kv.v1.read_secret("plain", mount_point="v1")["data"] == {"p": "q"}
    assert "v1/" in client.sys.list_mounted_secrets_engines()["data"]


def test_dev_sqlite_restart_unseals_itself(tmp_path):
    storage = f"-dev-storage=sqlite:{tmp_path / 'dev.db'}"
    srv = start_dev(tmp_path, storage, token="dev-root")
    srv.client("dev-root").secrets.kv.v2.create_or_update_secret("keep", secret={"k": "v"})
    assert srv.stop() == 0
    key_file = tmp_path / "dev.db.dev-key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    srv2 = start_dev(tmp_path, storage, token="dev-root")
    try:
        data = srv2.client("dev-root").secrets.kv.v2.read_secret_version("keep")["data"]["data"]
        assert data == {"k": "v"}
    finally:
        srv2.stop()


def test_kill9_keeps_acknowledged_writes(tmp_path):
    import signal

    storage = f"-dev-storage=sqlite:{tmp_path / 'k.db'}"
    srv = start_dev(tmp_path, storage, token="dev-root")
    srv.client("dev-root").secrets.kv.v2.create_or_update_secret("acked", secret={"a": "1"})
    srv.stop(signal.SIGKILL)
    srv2 = start_dev(tmp_path, storage, token="dev-root")
    try:
        data = srv2.client("dev-root").secrets.kv.v2.read_secret_version("acked")["data"]["data"]
        assert data == {"a": "1"}
    finally:
        srv2.stop()
