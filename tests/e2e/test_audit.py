# tests/e2e/test_audit.py: the file audit device through hvac: enable, list, hash, disable, the log
# lines (hashed secrets, errors, profile sub-requests tagged) and failing closed.
import json

import hvac
import pytest
import requests

from conftest import skip_unless_route, unique


def call(srv, method, path, token=None, body=None):
    return requests.request(
        method, srv.url(path), headers={"X-Vault-Token": token or srv.root_token}, json=body
    )


def entries(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def entries_for(path, api_path):
    return [e for e in entries(path) if e["request"]["path"] == api_path]


@pytest.fixture(scope="module")
def device(server, tmp_path_factory):
    """A file device on the module's server; yields (client, device path, log file)."""
    skip_unless_route(server, "GET", "sys/audit")
    client = server.client(server.root_token)
    log = str(tmp_path_factory.mktemp("audit") / "audit.log")
    name = unique("file")
    client.sys.enable_audit_device("file", options={"file_path": log}, path=name)
    yield client, name, log
    client.sys.disable_audit_device(name)


def digest(client, name, text):
    resp = client.sys.calculate_hash(name, text)
    assert resp["hash"] == resp["data"]["hash"]  # at the top level too, as Vault's sample answer
    return resp["hash"]


def test_enabled_device_is_listed(device):
    client, name, log = device
    listed = client.sys.list_enabled_audit_devices()
    row = listed["data"][name + "/"]
    assert row["type"] == "file"
    assert row["path"] == name + "/"
    assert row["options"]["file_path"] == log
    assert listed[name + "/"] == row  # sys/audit copies data to the top level as sys/mounts does


def test_hash_is_vault_format(device):
    client, name, _ = device
    h = digest(client, name, "hunter2")
    assert h.startswith("hmac-sha256:") and len(h) == len("hmac-sha256:") + 64
    assert digest(client, name, "hunter2") == h


def test_write_and_read_are_logged_with_secrets_hashed(device):
    client, name, log = device
    path = unique("app")
    client.secrets.kv.v2.create_or_update_secret(path=path, secret={"password": "hunter2"})
    read = client.secrets.kv.v2.read_secret_version(path=path)
    assert read["data"]["data"]["password"] == "hunter2"

    with open(log) as f:
        text = f.read()
    assert "hunter2" not in text
    assert client.token not in text

    logged = entries_for(log, f"secret/data/{path}")
    assert [e["type"] for e in logged] == ["request", "response"] * 2
    write_req, write_resp, read_req, read_resp = logged
    hashed = digest(client, name, "hunter2")
    assert write_req["request"]["data"]["data"]["password"] == hashed
    assert write_req["request"]["mount_type"] == "kv"
    assert write_req["request"]["namespace"] == {"id": "root"}
    assert write_req["auth"]["client_token"] == digest(client, name, client.token)
    assert write_req["auth"]["policies"] == ["root"]
    assert read_req["request"]["operation"] == "read"
    assert read_resp["response"]["data"]["data"]["password"] == hashed
    # A request and its response share the request id HTTP hands back.
    assert read_req["request"]["id"] == read_resp["request"]["id"] == read["request_id"]
    assert "error" not in read_resp


def test_permission_denied_is_logged(server, device):
    _, _, log = device
    path = unique("denied")
    resp = call(server, "GET", f"secret/data/{path}", token="hvs.not-a-token")
    assert resp.status_code == 403
    logged = entries_for(log, f"secret/data/{path}")
    assert [e["type"] for e in logged] == ["request", "response"]
    assert all("permission denied" in e["error"] for e in logged)


PROFILE = """
request "a" { path = "secret/data/%(ns)s/a" }
request "b" { path = "secret/data/%(ns)s/b" }
output { data = { a = request.a.data.data.v, b = request.b.data.data.v } }
"""


def test_profile_sub_requests_are_tagged(server, device):
    skip_unless_route(server, "LIST", "sys/profiles/modify")
    _, _, log = device
    ns = unique("p")
    for key in ("a", "b"):
        resp = call(server, "PUT", f"secret/data/{ns}/{key}", body={"data": {"v": key}})
        assert resp.status_code == 200, resp.text
    name = unique("prof")
    text = PROFILE % {"ns": ns}
    resp = call(server, "PUT", f"sys/profiles/modify/{name}", body={"profile": text})
    assert resp.status_code == 204, resp.text

    ids = []
    for _ in range(2):
        resp = call(server, "POST", f"sys/profiles/execute/{name}")
        assert resp.status_code == 200, resp.text
        assert resp.json()["data"] == {"a": "a", "b": "b"}
        subs = [
            e
            for key in ("a", "b")
            for e in entries_for(log, f"secret/data/{ns}/{key}")
            if "profile" in e["request"]
        ]
        run = [e for e in subs if e["request"]["profile_execution_id"] not in ids]
        assert len(run) == 4  # a request and a response entry per sub-request
        assert {e["request"]["profile"] for e in run} == {name}
        exec_ids = {e["request"]["profile_execution_id"] for e in run}
        assert len(exec_ids) == 1 and "" not in exec_ids
        ids.append(exec_ids.pop())
    assert ids[0] != ids[1]
    # The execute call itself is a direct request: logged without a profile tag.
    direct = entries_for(log, f"sys/profiles/execute/{name}")
    assert len(direct) == 4 and all("profile" not in e["request"] for e in direct)


def test_disabled_device_is_gone(server, tmp_path):
    client = server.client(server.root_token)
    name = unique("tmp")
    log = str(tmp_path / "tmp.log")
    client.sys.enable_audit_device("file", options={"file_path": log}, path=name)
    client.sys.disable_audit_device(name)
    assert name + "/" not in client.sys.list_enabled_audit_devices()["data"]
    size = len(entries(log))
    call(server, "GET", "sys/mounts")
    assert len(entries(log)) == size


def test_enable_needs_file_path(server):
    client = server.client(server.root_token)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_audit_device("file", options={}, path=unique("nofile"))


def test_enable_needs_sudo(server):
    policy = unique("pol")
    resp = call(server, "PUT", f"sys/policies/acl/{policy}",
                body={"policy": 'path "sys/audit/*" { capabilities = ["update"] }'})
    assert resp.status_code in (200, 204), resp.text
    resp = call(server, "POST", "auth/token/create", body={"policies": [policy]})
    token = resp.json()["auth"]["client_token"]
    resp = call(server, "PUT", f"sys/audit/{unique('x')}", token=token,
                body={"type": "file", "options": {"file_path": "discard"}})
    assert resp.status_code == 403


def test_unrecordable_request_fails_closed(fresh_server):
    client = fresh_server.client(fresh_server.root_token)
    client.sys.enable_audit_device("file", options={"file_path": "/dev/full"}, path="full")
    resp = call(fresh_server, "PUT", "secret/data/lost", body={"data": {"v": "1"}})
    assert resp.status_code == 500
    assert resp.json()["errors"]


def test_devices_survive_seal_and_unseal(fresh_server, tmp_path):
    client = fresh_server.client(fresh_server.root_token)
    log = str(tmp_path / "sealed.log")
    client.sys.enable_audit_device("file", options={"file_path": log})
    before = digest(client, "file", "x")
    client.sys.seal()
    client.sys.submit_unseal_key(fresh_server.unseal_key)
    assert "file/" in client.sys.list_enabled_audit_devices()["data"]
    assert digest(client, "file", "x") == before  # the device key is persisted, not regenerated
    assert entries_for(log, "sys/audit")  # and it logs again after the unseal
