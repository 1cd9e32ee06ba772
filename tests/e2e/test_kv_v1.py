# tests/e2e/test_kv_v1.py: KV v1 through hvac.Client.secrets.kv.v1 on a fresh kv mount.
import hvac
import pytest

from conftest import unique


@pytest.fixture
def v1(root):
    mount = unique("kv1")
    root.sys.enable_secrets_engine("kv", path=mount, options={"version": "1"})
    return mount


def test_write_read_list_delete(root, v1):
    root.secrets.kv.v1.create_or_update_secret("app/db", secret={"pw": "s3"}, mount_point=v1)
    root.secrets.kv.v1.create_or_update_secret("app/api", secret={"key": "k"}, mount_point=v1)
    assert root.secrets.kv.v1.read_secret("app/db", mount_point=v1)["data"] == {"pw": "s3"}
    assert sorted(root.secrets.kv.v1.list_secrets("app", mount_point=v1)["data"]["keys"]) == [
        "api",
        "db",
    ]
    root.secrets.kv.v1.delete_secret("app/db", mount_point=v1)
    with pytest.raises(hvac.exceptions.InvalidPath):
        root.secrets.kv.v1.read_secret("app/db", mount_point=v1)


def test_overwrite_replaces_whole_object(root, v1):
    root.secrets.kv.v1.create_or_update_secret("x", secret={"a": "1", "b": "2"}, mount_point=v1)
    root.secrets.kv.v1.create_or_update_secret("x", secret={"c": "3"}, mount_point=v1)
    assert root.secrets.kv.v1.read_secret("x", mount_point=v1)["data"] == {"c": "3"}


def test_generic_read_uses_hvac_read(root, v1):
    root.write(f"{v1}/plain", foo="bar")
    assert root.read(f"{v1}/plain")["data"] == {"foo": "bar"}
    assert root.read(f"{v1}/missing") is None  # hvac's read() gives None on 404


def test_nested_values_survive(root, v1):
    secret = {"list": [1, 2], "map": {"k": True}, "n": 5}
    root.secrets.kv.v1.create_or_update_secret("nested", secret=secret, mount_point=v1)
    assert root.secrets.kv.v1.read_secret("nested", mount_point=v1)["data"] == secret
