# tests/e2e/test_approle.py: AppRole with hvac: a machine logs in with its role ID and a secret
# ID, secret IDs run out and expire, and a destroyed or deleted one no longer works.
import time

import hvac
import pytest
import requests

from conftest import unique


@pytest.fixture
def approle(server, root):
    path = unique("ar")
    root.sys.enable_auth_method("approle", path=path)
    root.sys.create_or_update_policy(f"{path}-read",
                                     f'path "secret/data/{path}/*" {{ capabilities = ["read"] }}')
    root.secrets.kv.v2.create_or_update_secret(f"{path}/db", secret={"password": "s3cret"})
    yield path


def login(server, path, role_id, secret_id):
    return server.client().auth.approle.login(role_id, secret_id, mount_point=path)


def test_a_machine_logs_in_and_reads_its_secret(server, root, approle):
    root.auth.approle.create_or_update_approle("app", token_policies=[f"{approle}-read"],
                                               token_ttl="1h", mount_point=approle)
    role_id = root.auth.approle.read_role_id("app", mount_point=approle)["data"]["role_id"]
    made = root.auth.approle.generate_secret_id("app", mount_point=approle)["data"]
    auth = login(server, approle, role_id, made["secret_id"])["auth"]
    assert auth["metadata"] == {"role_name": "app"}
    assert sorted(auth["policies"]) == sorted(["default", f"{approle}-read"])
    assert auth["lease_duration"] == 3600
    machine = server.client(auth["client_token"])
    assert machine.secrets.kv.v2.read_secret_version(f"{approle}/db")["data"]["data"] == {
        "password": "s3cret"}

    role = root.auth.approle.read_role("app", mount_point=approle)["data"]
    assert role["bind_secret_id"] is True and role["token_policies"] == [f"{approle}-read"]
    accessors = root.auth.approle.list_secret_id_accessors("app", mount_point=approle)
    assert accessors["data"]["keys"] == [made["secret_id_accessor"]]


def test_wrong_ids_are_one_400(server, root, approle):
    root.auth.approle.create_or_update_approle("app", mount_point=approle)
    role_id = root.auth.approle.read_role_id("app", mount_point=approle)["data"]["role_id"]
    secret_id = root.auth.approle.generate_secret_id("app", mount_point=approle)["data"]["secret_id"]
    for rid, sid in [(role_id, "not-a-secret-id"), ("not-a-role-id", secret_id)]:
        with pytest.raises(hvac.exceptions.InvalidRequest) as err:
            login(server, approle, rid, sid)
        assert "invalid role ID or secret ID" in str(err.value)


def test_secret_ids_run_out_expire_and_can_be_destroyed(server, root, approle):
    root.auth.approle.create_or_update_approle("app", secret_id_num_uses=2, mount_point=approle)
    role_id = root.auth.approle.read_role_id("app", mount_point=approle)["data"]["role_id"]

    twice = root.auth.approle.generate_secret_id("app", mount_point=approle)["data"]["secret_id"]
    assert twice and root.auth.approle.read_secret_id(
        "app", twice, mount_point=approle)["data"]["secret_id_num_uses"] == 2
    login(server, approle, role_id, twice)
    login(server, approle, role_id, twice)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        login(server, approle, role_id, twice)

    resp = requests.post(server.url(f"auth/{approle}/role/app/secret-id"),
                         headers={"X-Vault-Token": server.root_token}, json={"ttl": "1s"})
    short = resp.json()["data"]["secret_id"]
    time.sleep(1.5)  # waits out the secret ID's own one-second lifetime
    with pytest.raises(hvac.exceptions.InvalidRequest):
        login(server, approle, role_id, short)

    gone = root.auth.approle.generate_secret_id("app", mount_point=approle)["data"]["secret_id"]
    root.auth.approle.destroy_secret_id("app", gone, mount_point=approle)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        login(server, approle, role_id, gone)

    kept = root.auth.approle.generate_secret_id("app", mount_point=approle)["data"]["secret_id"]
    root.auth.approle.delete_role("app", mount_point=approle)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        login(server, approle, role_id, kept)


def test_a_custom_role_id_and_a_role_without_any_binding(server, root, approle):
    root.auth.approle.create_or_update_approle("app", mount_point=approle)
    root.auth.approle.update_role_id("app", "my-chosen-role-id", mount_point=approle)
    secret_id = root.auth.approle.generate_secret_id("app", mount_point=approle)["data"]["secret_id"]
    assert login(server, approle, "my-chosen-role-id", secret_id)["auth"]["client_token"]
    with pytest.raises(hvac.exceptions.InvalidRequest) as err:
        root.auth.approle.create_or_update_approle("open", bind_secret_id=False,
                                                   mount_point=approle)
    assert "at least one constraint" in str(err.value)
