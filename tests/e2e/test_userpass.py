# tests/e2e/test_userpass.py: userpass users and logins through hvac.
import hvac
import pytest
import requests

from conftest import skip_unless_route, unique


@pytest.fixture
def userpass(root, server):
    mount = unique("up")
    resp = requests.post(server.url(f"sys/auth/{mount}"),
                         headers={"X-Vault-Token": server.root_token}, json={"type": "userpass"})
    if resp.status_code != 204:
        pytest.skip(f"userpass not available yet: {resp.status_code} {resp.text}")
    return mount


def test_login_returns_token_with_policies(root, server, userpass):
    skip_unless_route(server, "GET", "sys/policy")
    policy = unique("uppol")
    root.sys.create_or_update_policy(policy, 'path "secret/data/up/*" { capabilities = ["read"] }')
    root.secrets.kv.v2.create_or_update_secret("up/x", secret={"a": "b"})
    root.auth.userpass.create_or_update_user("alice", password="s3cret!", policies=[policy],
                                             mount_point=userpass)
    client = server.client()
    login = client.auth.userpass.login("alice", "s3cret!", mount_point=userpass)
    assert login["auth"]["metadata"]["username"] == "alice"
    assert policy in login["auth"]["policies"]
    assert login["auth"]["orphan"] is True
    assert client.secrets.kv.v2.read_secret_version("up/x")["data"]["data"] == {"a": "b"}


def test_wrong_password_and_unknown_user_are_the_same_400(root, server, userpass):
    root.auth.userpass.create_or_update_user("bob", password="right", mount_point=userpass)
    answers = []
    for user, password in (("bob", "wrong"), ("nobody", "whatever")):
        resp = requests.post(server.url(f"auth/{userpass}/login/{user}"), json={"password": password})
        answers.append((resp.status_code, resp.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 400


def test_password_change(root, server, userpass):
    root.auth.userpass.create_or_update_user("carol", password="old", mount_point=userpass)
    requests.post(server.url(f"auth/{userpass}/users/carol/password"),
                  headers={"X-Vault-Token": server.root_token}, json={"password": "new"})
    client = server.client()
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.auth.userpass.login("carol", "old", mount_point=userpass)
    client.auth.userpass.login("carol", "new", mount_point=userpass)


def test_list_users(root, server, userpass):
    for name in ("u1", "u2"):
        root.auth.userpass.create_or_update_user(name, password="p", mount_point=userpass)
    resp = requests.request("LIST", server.url(f"auth/{userpass}/users"),
                            headers={"X-Vault-Token": server.root_token})
    assert sorted(resp.json()["data"]["keys"]) == ["u1", "u2"]
