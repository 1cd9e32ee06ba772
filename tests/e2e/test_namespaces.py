# tests/e2e/test_namespaces.py: namespaces with hvac's `namespace=` (X-Vault-Namespace): each has
# its own mounts, policies and tokens; a namespace's admin cannot reach the root or a sibling.
import hvac
import pytest
import requests

from conftest import unique

ADMIN = 'path "*" { capabilities = ["create", "read", "update", "delete", "list", "sudo"] }'


def make_namespace(root):
    name = unique("ns")
    resp = requests.put(root.url + f"/v1/sys/namespaces/{name}", headers={"X-Vault-Token": root.token})
    assert resp.status_code in (200, 204), resp.text
    inside = hvac.Client(url=root.url, token=root.token, namespace=name)
    inside.sys.enable_secrets_engine("kv", path="kv", options={"version": "2"})
    inside.secrets.kv.v2.create_or_update_secret("a", {"v": name}, mount_point="kv")
    return name, inside


@pytest.fixture(scope="module")
def ns1(server):
    """A namespace whose admin token (policy ADMIN of that namespace) is ns1.admin."""
    root = server.client(server.root_token)
    name, inside = make_namespace(root)
    inside.sys.create_or_update_policy("admin", ADMIN)
    token = inside.auth.token.create(policies=["admin"])["auth"]["client_token"]
    admin = hvac.Client(url=root.url, token=token, namespace=name)
    return {"name": name, "admin": admin}


def test_namespace_admin_works_inside_its_namespace(ns1):
    admin = ns1["admin"]
    got = admin.secrets.kv.v2.read_secret_version("a", mount_point="kv")
    assert got["data"]["data"] == {"v": ns1["name"]}
    admin.sys.create_or_update_policy("readers", 'path "kv/*" { capabilities = ["read"] }')
    assert "readers" in admin.sys.list_policies()["data"]["policies"]
    self = admin.auth.token.lookup_self()["data"]
    assert self["namespace_path"] == ns1["name"] + "/"


def test_namespace_admin_cannot_change_root_policies_or_mint_root_tokens(server, ns1):
    at_root = hvac.Client(url=server.addr, token=ns1["admin"].token)
    with pytest.raises(hvac.exceptions.Forbidden):
        at_root.sys.create_or_update_policy("default", 'path "*" { capabilities = ["sudo", "read"] }')
    with pytest.raises(hvac.exceptions.Forbidden):
        at_root.auth.token.create(policies=["root"])
    with pytest.raises(hvac.exceptions.Forbidden):
        at_root.secrets.kv.v2.read_secret_version("anything", mount_point="secret")
    root = server.client(server.root_token)
    assert "readers" not in root.sys.list_policies()["data"]["policies"]
    default = root.sys.read_policy("default")["data"]["rules"]
    assert "sudo" not in default


def test_namespace_admin_cannot_reach_a_sibling_namespace(server, ns1):
    root = server.client(server.root_token)
    sibling, _ = make_namespace(root)
    in_sibling = hvac.Client(url=root.url, token=ns1["admin"].token, namespace=sibling)
    with pytest.raises(hvac.exceptions.Forbidden):
        in_sibling.secrets.kv.v2.read_secret_version("a", mount_point="kv")
    # The sibling's own policies are not the ns1 policies of the same name.
    with pytest.raises(hvac.exceptions.Forbidden):
        in_sibling.sys.list_policies()


def test_tokens_minted_in_a_namespace_carry_its_policies_only(server, ns1):
    admin = ns1["admin"]
    admin.sys.create_or_update_policy("kvread", 'path "kv/data/*" { capabilities = ["read"] }')
    token = admin.auth.token.create(policies=["kvread"])["auth"]["client_token"]
    reader = hvac.Client(url=admin.url, token=token, namespace=ns1["name"])
    assert reader.secrets.kv.v2.read_secret_version("a", mount_point="kv")["data"]["data"]
    with pytest.raises(hvac.exceptions.Forbidden):
        reader.secrets.kv.v2.create_or_update_secret("a", {"v": "x"}, mount_point="kv")
    # The root's policy named kvread, if any, is not what this token has.
    root = server.client(server.root_token)
    root.sys.create_or_update_policy("kvread", 'path "*" { capabilities = ["sudo", "read", "update"] }')
    at_root = hvac.Client(url=admin.url, token=token)
    with pytest.raises(hvac.exceptions.Forbidden):
        at_root.sys.list_policies()


def test_deleting_a_namespace_revokes_its_tokens(server):
    root = server.client(server.root_token)
    name = unique("gone")
    assert requests.put(server.url(f"sys/namespaces/{name}"),
                        headers={"X-Vault-Token": server.root_token}).ok
    inside = hvac.Client(url=root.url, token=server.root_token, namespace=name)
    token = inside.auth.token.create(policies=["default"])["auth"]["client_token"]
    assert requests.delete(server.url(f"sys/namespaces/{name}"),
                           headers={"X-Vault-Token": server.root_token}).ok
    resp = requests.post(server.url("auth/token/lookup"), json={"token": token},
                         headers={"X-Vault-Token": server.root_token})
    assert resp.status_code == 403, resp.text


@pytest.mark.parametrize("name", [b"with space", b"bad\xff\xfe", b"x" * 3000],
                         ids=["space", "not-utf8", "3000-bytes"])
def test_bad_namespace_names_are_a_clean_400(server, name):
    headers = {"X-Vault-Token": server.root_token}
    created = requests.put(server.url("sys/namespaces/") + name.decode("latin-1"), headers=headers)
    assert created.status_code in (400, 404), created.text
    headers["X-Vault-Namespace"] = name
    resp = requests.get(server.url("secret/data/x"), headers=headers)
    assert resp.status_code == 400, resp.text
    assert resp.json()["errors"], resp.text  # valid JSON: nothing of the name echoed raw
    assert requests.get(server.url("sys/health")).status_code == 200
