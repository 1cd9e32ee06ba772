# tests/e2e/test_tokens.py: token create/lookup/renew/revoke and the parent/child tree via hvac.
import hvac
import pytest

from conftest import skip_unless_route


@pytest.fixture(autouse=True)
def tokens_landed(server):
    skip_unless_route(server, "GET", "auth/token/lookup-self")


def test_lookup_self_root(root):
    data = root.auth.token.lookup_self()["data"]
    assert data["policies"] == ["root"]
    assert data["id"] == root.token


def test_create_child_and_use_it(root, server):
    created = root.auth.token.create(policies=["default"], ttl="1h")
    auth = created["auth"]
    assert auth["client_token"].startswith("hvs.")
    assert "default" in auth["policies"]
    assert 3500 <= auth["lease_duration"] <= 3600
    child = server.client(auth["client_token"])
    data = child.auth.token.lookup_self()["data"]
    assert data["accessor"] == auth["accessor"]
    assert data["orphan"] is False


def test_revoking_parent_revokes_child(root, server):
    # The default policy cannot create tokens (as Vault's); this one may.
    root.sys.create_or_update_policy(
        "tokcreate", 'path "auth/token/create" { capabilities = ["create", "update"] }')
    mk = lambda c: c.auth.token.create(policies=["default", "tokcreate"], ttl="1h")["auth"][
        "client_token"]
    parent = mk(root)
    child = mk(server.client(parent))
    grandchild = mk(server.client(child))
    root.auth.token.revoke(parent)
    for token in (parent, child, grandchild):
        with pytest.raises(hvac.exceptions.Forbidden):
            server.client(token).auth.token.lookup_self()


def test_orphan_survives_parent(root, server):
    parent = root.auth.token.create(policies=["default"], ttl="1h")["auth"]["client_token"]
    orphan = root.auth.token.create(policies=["default"], ttl="1h", no_parent=True)
    orphan_token = orphan["auth"]["client_token"]
    assert orphan["auth"]["orphan"] is True
    root.auth.token.revoke(parent)
    assert server.client(orphan_token).auth.token.lookup_self()["data"]["orphan"] is True


def test_renew_self(root, server):
    token = root.auth.token.create(policies=["default"], ttl="10m", explicit_max_ttl="2h")
    client = server.client(token["auth"]["client_token"])
    renewed = client.auth.token.renew_self(increment="1h")["auth"]
    assert 3500 <= renewed["lease_duration"] <= 3600


def test_lookup_by_token_and_accessor(root):
    auth = root.auth.token.create(policies=["default"], ttl="1h", meta={"team": "a"})["auth"]
    by_token = root.auth.token.lookup(auth["client_token"])["data"]
    by_accessor = root.auth.token.lookup_accessor(auth["accessor"])["data"]
    assert by_token["meta"] == {"team": "a"}
    assert by_accessor["accessor"] == auth["accessor"]


def test_revoke_self_logs_out(root, server):
    token = root.auth.token.create(policies=["default"], ttl="1h")["auth"]["client_token"]
    client = server.client(token)
    assert client.is_authenticated()
    client.auth.token.revoke_self()
    assert not client.is_authenticated()  # hvac: lookup-self 403 = logged out


def test_revoke_accessor(root, server):
    auth = root.auth.token.create(policies=["default"], ttl="1h")["auth"]
    root.auth.token.revoke_accessor(auth["accessor"])
    assert not server.client(auth["client_token"]).is_authenticated()


def test_num_uses_exhausts(root, server):
    token = root.auth.token.create(policies=["default"], num_uses=2)["auth"]["client_token"]
    client = server.client(token)
    client.auth.token.lookup_self()
    client.auth.token.lookup_self()
    with pytest.raises(hvac.exceptions.Forbidden):
        client.auth.token.lookup_self()


def test_child_policies_must_be_subset(root, server):
    root.sys.create_or_update_policy(
        "tokcreate", 'path "auth/token/create" { capabilities = ["create", "update"] }')
    parent = root.auth.token.create(policies=["default", "tokcreate"],
                                    ttl="1h")["auth"]["client_token"]
    with pytest.raises((hvac.exceptions.Forbidden, hvac.exceptions.InvalidRequest)):
        server.client(parent).auth.token.create(policies=["root"])


def test_default_token_cannot_read_secret(root, server):
    root.secrets.kv.v2.create_or_update_secret("tok/secret", secret={"a": "b"})
    token = root.auth.token.create(policies=["default"], ttl="1h")["auth"]["client_token"]
    with pytest.raises(hvac.exceptions.Forbidden):
        server.client(token).secrets.kv.v2.read_secret_version("tok/secret")
