# tests/e2e/test_policies.py: ACL policies written with hvac, enforced on tokens that carry them.
import hvac
import pytest
import requests

from conftest import skip_unless_route, unique


@pytest.fixture(autouse=True)
def policies_landed(server):
    skip_unless_route(server, "GET", "sys/policy")
    skip_unless_route(server, "GET", "auth/token/lookup-self")


def token_with(root, server, policy_text):
    name = unique("pol")
    root.sys.create_or_update_policy(name, policy_text)
    token = root.auth.token.create(policies=[name], ttl="1h")["auth"]["client_token"]
    return server.client(token), name


def put(root, path, **data):
    root.secrets.kv.v2.create_or_update_secret(path, secret=data)


def test_policy_round_trip(root):
    name = unique("rt")
    text = 'path "secret/data/rt/*" {\n  capabilities = ["read"]\n}\n'
    root.sys.create_or_update_policy(name, text)
    assert root.sys.read_policy(name)["rules"] == text
    assert name in root.sys.list_policies()["policies"]
    root.sys.delete_policy(name)
    assert name not in root.sys.list_policies()["policies"]


def test_read_allowed_write_denied(root, server):
    base = unique("app")
    put(root, f"{base}/cfg", k="v")
    client, _ = token_with(root, server, f'path "secret/data/{base}/*" {{ capabilities = ["read"] }}')
    assert client.secrets.kv.v2.read_secret_version(f"{base}/cfg")["data"]["data"] == {"k": "v"}
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v2.create_or_update_secret(f"{base}/cfg", secret={"k": "w"})


def test_glob_prefix(root, server):
    base = unique("glob")
    put(root, f"{base}-one/x", a="1")
    put(root, f"other{base}/x", a="1")
    client, _ = token_with(root, server, f'path "secret/data/{base}*" {{ capabilities = ["read"] }}')
    client.secrets.kv.v2.read_secret_version(f"{base}-one/x")
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v2.read_secret_version(f"other{base}/x")


def test_plus_segment(root, server):
    base = unique("plus")
    put(root, f"{base}/team1/db", a="1")
    put(root, f"{base}/team1/deep/db", a="1")
    client, _ = token_with(root, server,
                           f'path "secret/data/{base}/+/db" {{ capabilities = ["read"] }}')
    client.secrets.kv.v2.read_secret_version(f"{base}/team1/db")
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v2.read_secret_version(f"{base}/team1/deep/db")


def test_deny_dominates(root, server):
    base = unique("deny")
    put(root, f"{base}/open", a="1")
    put(root, f"{base}/closed", a="1")
    client, _ = token_with(root, server, f'''
path "secret/data/{base}/*" {{ capabilities = ["read"] }}
path "secret/data/{base}/closed" {{ capabilities = ["deny"] }}
''')
    client.secrets.kv.v2.read_secret_version(f"{base}/open")
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v2.read_secret_version(f"{base}/closed")


def test_unauthorised_missing_path_is_403(root, server):
    client, _ = token_with(root, server, 'path "secret/data/nothing" { capabilities = ["read"] }')
    resp = requests.get(server.url(f"secret/data/{unique('missing')}"),
                        headers={"X-Vault-Token": client.token})
    assert resp.status_code == 403


def test_create_vs_update(root, server):
    base = unique("cu")
    client, _ = token_with(root, server,
                           f'path "secret/data/{base}/*" {{ capabilities = ["create", "read"] }}')
    client.secrets.kv.v2.create_or_update_secret(f"{base}/new", secret={"a": "1"})
    with pytest.raises(hvac.exceptions.Forbidden):  # exists now: needs update
        client.secrets.kv.v2.create_or_update_secret(f"{base}/new", secret={"a": "2"})


def test_list_capability(root, server):
    base = unique("lst")
    put(root, f"{base}/a", v="1")
    client, _ = token_with(root, server,
                           f'path "secret/metadata/{base}/" {{ capabilities = ["list"] }}')
    assert client.secrets.kv.v2.list_secrets(base)["data"]["keys"] == ["a"]
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v2.read_secret_version(f"{base}/a")


def test_required_parameters(root, server):
    v1 = unique("kvp")
    root.sys.enable_secrets_engine("kv", path=v1, options={"version": "1"})
    client, _ = token_with(root, server, f'''
path "{v1}/*" {{
  capabilities = ["create", "update"]
  required_parameters = ["owner"]
}}''')
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v1.create_or_update_secret("x", secret={"a": "1"}, mount_point=v1, method="PUT")
    client.secrets.kv.v1.create_or_update_secret("x", secret={"owner": "me"}, mount_point=v1, method="PUT")


def test_allowed_parameters_limit_values(root, server):
    v1 = unique("kva")
    root.sys.enable_secrets_engine("kv", path=v1, options={"version": "1"})
    client, _ = token_with(root, server, f'''
path "{v1}/*" {{
  capabilities = ["create", "update"]
  allowed_parameters = {{
    "env" = ["dev", "test"]
    "note" = []
  }}
}}''')
    client.secrets.kv.v1.create_or_update_secret("x", secret={"env": "dev", "note": "any"},
                                                 mount_point=v1, method="PUT")
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v1.create_or_update_secret("x", secret={"env": "prod"}, mount_point=v1, method="PUT")
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v1.create_or_update_secret("x", secret={"other": "1"}, mount_point=v1, method="PUT")


def test_denied_parameters(root, server):
    v1 = unique("kvd")
    root.sys.enable_secrets_engine("kv", path=v1, options={"version": "1"})
    client, _ = token_with(root, server, f'''
path "{v1}/*" {{
  capabilities = ["create", "update"]
  denied_parameters = {{ "admin" = [] }}
}}''')
    client.secrets.kv.v1.create_or_update_secret("x", secret={"user": "a"}, mount_point=v1, method="PUT")
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v1.create_or_update_secret("x", secret={"admin": "1"}, mount_point=v1, method="PUT")


def test_policy_change_takes_effect(root, server):
    base = unique("chg")
    put(root, f"{base}/s", a="1")
    client, name = token_with(root, server, 'path "secret/data/none" { capabilities = ["read"] }')
    with pytest.raises(hvac.exceptions.Forbidden):
        client.secrets.kv.v2.read_secret_version(f"{base}/s")
    root.sys.create_or_update_policy(name, f'path "secret/data/{base}/*" {{ capabilities = ["read"] }}')
    client.secrets.kv.v2.read_secret_version(f"{base}/s")


def test_bad_policy_is_400(root):
    with pytest.raises(hvac.exceptions.InvalidRequest):
        root.sys.create_or_update_policy(unique("bad"), 'path "x" { capabilities = ["fly"] }')


def test_root_policy_immutable(root):
    with pytest.raises(hvac.exceptions.InvalidRequest):
        root.sys.create_or_update_policy("root", 'path "*" { capabilities = ["read"] }')


def test_capabilities_self(root, server):
    skip_unless_route(server, "POST", "sys/capabilities-self", json={"paths": ["x"]})
    client, _ = token_with(root, server, 'path "secret/data/cap/*" { capabilities = ["read"] }')
    resp = requests.post(server.url("sys/capabilities-self"),
                         headers={"X-Vault-Token": client.token},
                         json={"paths": ["secret/data/cap/a", "secret/data/other"]})
    body = resp.json()
    assert body["secret/data/cap/a"] == ["read"]
    assert body["secret/data/other"] == ["deny"]
