# tests/e2e/test_profiles_namespaces.py: profiles stored in a namespace (X-Vault-Namespace or a
# path prefix) have their own names and cannot reach outside the namespace.
import hvac
import pytest
import requests

from conftest import unique

READ_A = """
request "a" { path = "kv/data/a" }
output { data = { v = request.a.data.data.v } }
"""

# The path comes from the input: confinement must hold at execution, not only at write time.
READ_ANY = """
input { data = { path = "string" } }
request "x" { path = input.data.path }
output { data = { v = request.x.data.data.v } }
"""


def call(srv, method, path, namespace=None, body=None):
    headers = {"X-Vault-Token": srv.root_token}
    if namespace:
        headers["X-Vault-Namespace"] = namespace
    return requests.request(method, srv.url(path), headers=headers, json=body)


@pytest.fixture(scope="module")
def ns(server):
    """A namespace with kv/ (v2) holding a = "inside"; the root has secret/data/<ns>/a = "root"."""
    name = unique("ns")
    root = server.client(server.root_token)
    assert call(server, "PUT", f"sys/namespaces/{name}").status_code in (200, 204)
    inside = hvac.Client(url=root.url, token=server.root_token, namespace=name)
    inside.sys.enable_secrets_engine("kv", path="kv", options={"version": "2"})
    inside.secrets.kv.v2.create_or_update_secret("a", {"v": "inside"}, mount_point="kv")
    root.secrets.kv.v2.create_or_update_secret(f"{name}/a", {"v": "root"}, mount_point="secret")
    return name


def test_profile_in_a_namespace_reads_that_namespaces_mount(server, ns):
    resp = call(server, "PUT", "sys/profiles/modify/read-a", ns, {"profile": READ_A})
    assert resp.status_code == 204, resp.text
    by_header = call(server, "POST", "sys/profiles/execute/read-a", ns)
    assert by_header.status_code == 200, by_header.text
    assert by_header.json()["data"] == {"v": "inside"}
    by_prefix = call(server, "POST", f"{ns}/sys/profiles/execute/read-a")
    assert by_prefix.status_code == 200, by_prefix.text
    assert by_prefix.json()["data"] == {"v": "inside"}


def test_namespaces_profiles_are_not_the_roots(server, ns):
    name = unique("p")
    assert call(server, "PUT", f"sys/profiles/modify/{name}", ns, {"profile": READ_A}).ok
    assert call(server, "GET", f"sys/profiles/modify/{name}").status_code == 404
    listed = call(server, "LIST", "sys/profiles/modify", ns)
    assert name in listed.json()["data"]["keys"]
    root_list = call(server, "LIST", "sys/profiles/modify")
    assert root_list.status_code == 404 or name not in root_list.json()["data"]["keys"]


@pytest.mark.parametrize("path", ["secret/data/{ns}/a", "../secret/data/{ns}/a"])
def test_profile_cannot_read_outside_its_namespace(server, ns, path):
    assert call(server, "PUT", "sys/profiles/modify/any", ns, {"profile": READ_ANY}).ok
    resp = call(server, "POST", "sys/profiles/execute/any", ns, {"path": path.format(ns=ns)})
    assert resp.status_code >= 400, resp.text
    assert "root" not in resp.text
    assert 'request "x"' in " ".join(resp.json()["errors"])  # names the failing request


@pytest.mark.parametrize(
    "path,message",
    [
        ("../secret/data/a", "leaves the profile's namespace"),
        ("sys/seal", "only available in the root namespace"),
    ],
)
def test_literal_path_leaving_the_namespace_is_refused_when_written(server, ns, path, message):
    text = f'request "x" {{\n  path = "{path}"\n}}\noutput {{ data = {{ ok = true }} }}\n'
    resp = call(server, "PUT", "sys/profiles/modify/bad", ns, {"profile": text})
    assert resp.status_code == 400, resp.text
    joined = " ".join(resp.json()["errors"])
    assert message in joined
    assert "2:" in joined  # line of the path attribute


def test_auth_block_logs_in_through_the_namespaces_userpass(server, ns):
    # The login token is the namespace's: its policy is the namespace's "reader", so it reads the
    # namespace's kv and nothing of the root, and it is revoked when the execution ends.
    reader = 'path "kv/data/*" { capabilities = ["read"] }'
    assert call(server, "PUT", "sys/policies/acl/reader", ns, {"policy": reader}).ok
    assert call(server, "POST", "sys/auth/up", ns, {"type": "userpass"}).ok
    user = {"password": "pw", "token_policies": ["reader"]}
    assert call(server, "POST", "auth/up/users/bob", ns, user).ok
    text = """
input {
  authenticated = false
  data          = { pass = "string", path = "string" }
}
auth {
  path = "auth/up/login/bob"
  data = { password = input.data.pass }
}
request "x" { path = input.data.path }
output { data = { v = request.x.data.data.v } }
"""
    assert call(server, "PUT", "sys/profiles/modify/login", ns, {"profile": text}).ok
    url = server.url(f"{ns}/sys/profiles/execute/login")
    ok = requests.post(url, json={"pass": "pw", "path": "kv/data/a"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["data"] == {"v": "inside"}
    # Its own mount's sys paths are not in "reader": denied, by the namespace's policy.
    denied = requests.post(url, json={"pass": "pw", "path": "sys/policies/acl/reader"})
    assert denied.status_code == 403, denied.text
    accessors = call(server, "LIST", "auth/token/accessors", ns)
    assert accessors.status_code in (200, 404)
    assert accessors.status_code == 404 or accessors.json()["data"]["keys"] == []
