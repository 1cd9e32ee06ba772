# tests/e2e/test_postgres_ha.py: two `cellar server` nodes sharing a private PostgreSQL with
# ha_enabled: one active, the other a standby that sends clients to it (307) and takes over
# when the active node dies or is sealed, with every secret intact.
import os
import signal
import socket
import subprocess
import time

import pytest
import requests

from conftest import CELLAR_BIN, Server
from test_seal_restart import init_and_unseal


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One HA node: its own fixed port (api_addr must be known before it starts)."""

    def __init__(self, tmp_path, postgres, name, table):
        self.name = name
        self.port = free_port()
        self.addr = f"http://127.0.0.1:{self.port}"
        self.config = tmp_path / f"{name}.hcl"
        self.config.write_text(
            f'storage "postgresql" {{\n  connection_url = "{postgres["url"]}"\n'
            f'  table = "{table}"\n  ha_enabled = "true"\n}}\n'
            f'listener "tcp" {{\n  address = "127.0.0.1:{self.port}"\n  tls_disable = true\n}}\n'
            f'api_addr = "{self.addr}"\ndisable_mlock = true\n'
        )
        self.tmp_path = tmp_path
        self.runs = 0
        self.server = None
        self.start()

    def start(self):
        self.runs += 1
        self.server = Server([f"-config={self.config}"], self.tmp_path / f"{self.name}{self.runs}.log")
        return self

    def health(self, **params):
        return requests.get(f"{self.addr}/v1/sys/health", params=params, timeout=5)

    def leader(self):
        return requests.get(f"{self.addr}/v1/sys/leader", timeout=5).json()

    def wait_until_active(self):
        wait_for(lambda: self.health().status_code == 200, f"{self.name} to become active")

    def wait_until_following(self, other):
        wait_for(lambda: self.leader()["leader_address"] == other.addr,
                 f"{self.name} to see {other.name} as the active node")


def wait_for(condition, what, seconds=20):
    # Election rounds run every second; waiting for one is not a timing assertion.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_with_a_active(a, b):
    """Initialises the cluster through a, which becomes active; b is unsealed as its standby."""
    keys, root_token = init_and_unseal(a.server)
    a.wait_until_active()
    b.server.client().sys.submit_unseal_keys(keys[:2])
    return keys, root_token


@pytest.fixture
def pair(tmp_path, postgres):
    table = f"ha_{int(time.time() * 1000) % 10**9}"
    nodes = [Node(tmp_path, postgres, "a", table), Node(tmp_path, postgres, "b", table)]
    yield nodes
    for node in nodes:
        node.server.stop()


def test_standby_redirects_to_the_active_node_and_takes_over_when_it_dies(pair):
    a, b = pair
    keys, root_token = start_with_a_active(a, b)

    standby = b.health()
    assert standby.status_code == 429
    assert standby.json()["standby"] is True and standby.json()["sealed"] is False
    assert b.health(standbyok="true").status_code == 200
    assert b.leader()["ha_enabled"] is True and b.leader()["is_self"] is False
    assert b.leader()["leader_address"] == a.addr
    assert a.leader()["is_self"] is True and a.leader()["leader_address"] == a.addr

    # A client pointed at the standby is sent to the active node, method and body included.
    raw = requests.get(b.server.url("secret/data/app?version=1"), allow_redirects=False,
                       headers={"X-Vault-Token": root_token})
    assert raw.status_code == 307
    assert raw.headers["Location"] == f"{a.addr}/v1/secret/data/app?version=1"
    via_standby = b.server.client(root_token)
    via_standby.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    via_standby.secrets.kv.v2.create_or_update_secret("app", secret={"password": "s3cret"})
    assert a.server.client(root_token).secrets.kv.v2.read_secret_version("app")["data"]["data"] == {
        "password": "s3cret"}

    # The active node dies without a word: its PostgreSQL session ends and b takes the lock.
    a.server.stop(sig=signal.SIGKILL)
    b.wait_until_active()
    assert b.leader()["is_self"] is True
    root = b.server.client(root_token)
    assert root.secrets.kv.v2.read_secret_version("app")["data"]["data"] == {"password": "s3cret"}
    root.secrets.kv.v2.create_or_update_secret("app", secret={"password": "rotated"})

    # Back, a is a standby of b.
    a.start()
    a.server.client().sys.submit_unseal_keys(keys[:2])
    assert a.health().status_code == 429
    assert a.leader()["leader_address"] == b.addr
    data = a.server.client(root_token).secrets.kv.v2.read_secret_version("app")["data"]["data"]
    assert data == {"password": "rotated"}


def test_sealing_the_active_node_hands_over(pair):
    a, b = pair
    keys, root_token = start_with_a_active(a, b)
    root_a = a.server.client(root_token)
    root_a.sys.enable_secrets_engine("kv", path="kv", options={"version": "1"})
    # Written under a key term the standby has never seen: it must reload the keyring.
    root_a.sys.rotate_encryption_key()
    root_a.secrets.kv.v1.create_or_update_secret("k", secret={"v": "1"}, mount_point="kv")
    root_a.sys.seal()
    assert a.health().status_code == 503
    b.wait_until_active()
    got = b.server.client(root_token).secrets.kv.v1.read_secret("k", mount_point="kv")
    assert got["data"] == {"v": "1"}
    # The sealed node neither serves nor redirects.
    resp = requests.get(a.server.url("kv/k"), headers={"X-Vault-Token": root_token},
                        allow_redirects=False)
    assert resp.status_code == 503


def test_step_down_hands_over_and_needs_sudo(pair):
    a, b = pair
    keys, root_token = start_with_a_active(a, b)
    root_a = a.server.client(root_token)
    root_a.sys.create_or_update_policy("ops", 'path "sys/step-down" { capabilities = ["update"] }')
    ops_token = root_a.auth.token.create(policies=["ops"])["auth"]["client_token"]
    resp = requests.put(a.server.url("sys/step-down"), headers={"X-Vault-Token": ops_token})
    assert resp.status_code == 403  # as in Vault, step-down needs sudo
    assert a.leader()["is_self"] is True

    root_a.sys.step_down()
    b.wait_until_active()
    assert a.health().status_code == 429
    a.wait_until_following(b)


def test_cli_follows_the_standby_to_the_active_node(pair):
    a, b = pair
    keys, root_token = start_with_a_active(a, b)
    env = {**os.environ, "VAULT_ADDR": b.addr, "VAULT_TOKEN": root_token, "HOME": str(a.tmp_path)}

    def cellar(*args):
        return subprocess.run([CELLAR_BIN, *args], env=env, capture_output=True, text=True,
                              timeout=30)

    status = cellar("status").stdout
    assert "HA Enabled             true" in status and "HA Mode                standby" in status
    assert f"Active Node Address    {a.addr}" in status
    assert cellar("secrets", "enable", "-path=secret", "-version=2", "kv").returncode == 0
    assert cellar("kv", "put", "secret/app", "user=bob").returncode == 0
    got = cellar("kv", "get", "-field=user", "secret/app")
    assert got.returncode == 0 and got.stdout.strip() == "bob", got.stderr
    # Sent to the active node like every other request, which then hands over to b.
    stepped = cellar("operator", "step-down")
    assert stepped.returncode == 0 and "Success! Stepped down" in stepped.stdout
    b.wait_until_active()
    env["VAULT_ADDR"] = a.addr
    a.wait_until_following(b)
    assert cellar("kv", "get", "-field=user", "secret/app").stdout.strip() == "bob"
