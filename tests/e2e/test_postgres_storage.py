# tests/e2e/test_postgres_storage.py: `storage "postgresql"` against a private PostgreSQL server
# (initdb into a temp dir, random port, started by scripts/test_postgres.sh): secrets survive a
# restart, tables keep servers apart, and a bad or unreachable database is a clear start-up error.
import pytest
import requests

from conftest import Server
from test_seal_restart import init_and_unseal


def write_config(tmp_path, storage_body, name="cellar.hcl"):
    config = tmp_path / name
    config.write_text(
        f'storage "postgresql" {{\n{storage_body}\n}}\n'
        'listener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\n'
        "disable_mlock = true\n"
    )
    return config


def start(tmp_path, config, log="cellar.log"):
    return Server([f"-config={config}"], tmp_path / log)


def test_restart_keeps_every_secret(postgres, tmp_path):
    config = write_config(tmp_path, f'  connection_url = "{postgres["url"]}"\n  table = "restart"')
    srv = start(tmp_path, config)
    keys, root_token = init_and_unseal(srv)
    root = srv.client(root_token)
    assert root.sys.read_seal_status()["storage_type"] == "postgresql"
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    for i in range(20):
        root.secrets.kv.v2.create_or_update_secret(f"app/s{i}", secret={"i": str(i)})
    root.secrets.kv.v2.create_or_update_secret("app/s3", secret={"i": "three"})
    root.sys.create_or_update_policy("reader", 'path "secret/data/app/*" { capabilities = ["read"] }')
    reader_token = root.auth.token.create(policies=["reader"])["auth"]["client_token"]
    assert srv.stop() == 0

    again = start(tmp_path, config, "cellar2.log")
    try:
        assert again.client().sys.is_sealed()
        again.client().sys.submit_unseal_keys(keys[:2])
        root = again.client(root_token)
        for i in range(20):
            want = "three" if i == 3 else str(i)
            assert root.secrets.kv.v2.read_secret_version(f"app/s{i}")["data"]["data"] == {"i": want}
        assert root.secrets.kv.v2.read_secret_version("app/s3", version=1)["data"]["data"] == {"i": "3"}
        reader = again.client(reader_token)
        assert reader.secrets.kv.v2.read_secret_version("app/s7")["data"]["data"] == {"i": "7"}
        resp = requests.get(again.url("sys/policies/acl"), headers={"X-Vault-Token": reader_token})
        assert resp.status_code == 403
    finally:
        again.stop()


def test_tables_keep_servers_apart(postgres, tmp_path):
    first = start(tmp_path, write_config(tmp_path, f'  connection_url = "{postgres["conninfo"]}"\n'
                                                   '  table = "team_a"', "a.hcl"), "a.log")
    second = start(tmp_path, write_config(tmp_path, f'  connection_url = "{postgres["conninfo"]}"\n'
                                                    '  table = "team_b"', "b.hcl"), "b.log")
    try:
        init_and_unseal(first)
        assert requests.get(second.url("sys/init")).json() == {"initialized": False}
    finally:
        first.stop()
        second.stop()


def test_unreachable_database_stops_start_up_with_a_clear_message(tmp_path):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    config = write_config(tmp_path, '  connection_url = "postgres://cellar:s3cret@127.0.0.1:1/x"')
    with pytest.raises(RuntimeError, match="exited with"):
        start(tmp_path, config)
    log = (tmp_path / "cellar.log").read_text()
    assert "cannot open PostgreSQL storage" in log
    assert "s3cret" not in log


@pytest.mark.parametrize(
    "body, message",
    [
        ('  connection_url = "x"\n  ha_enabled = "true"', 'storage "postgresql": ha_enabled needs api_addr'),
        ("  table = \"t\"", 'storage "postgresql": needs a connection_url'),
        ('  connection_url = "x"\n  table = "Robert\'); DROP TABLE x;--"', "table name"),
    ],
)
def test_bad_settings_are_refused_before_serving(tmp_path, body, message, monkeypatch):
    monkeypatch.delenv("VAULT_PG_CONNECTION_URL", raising=False)
    monkeypatch.delenv("VAULT_API_ADDR", raising=False)
    config = write_config(tmp_path, body)
    with pytest.raises(RuntimeError, match="exited with"):
        start(tmp_path, config)
    assert message in (tmp_path / "cellar.log").read_text()
