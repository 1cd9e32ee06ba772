# tests/e2e/test_kv_v2.py: the KV v2 lifecycle through hvac against a dev server's secret/.
import hvac
import pytest
import requests

from conftest import unique


def test_write_then_read(root):
    path = unique("app")
    written = root.secrets.kv.v2.create_or_update_secret(path, secret={"user": "bob", "n": "1"})
    assert written["data"]["version"] == 1
    read = root.secrets.kv.v2.read_secret_version(path)
    assert read["data"]["data"] == {"user": "bob", "n": "1"}
    assert read["data"]["metadata"]["version"] == 1
    assert read["data"]["metadata"]["destroyed"] is False
    assert read["mount_type"] == "kv"


def test_versions_accumulate_and_old_ones_stay_readable(root):
    path = unique("ver")
    for i in range(3):
        root.secrets.kv.v2.create_or_update_secret(path, secret={"i": str(i)})
    assert root.secrets.kv.v2.read_secret_version(path)["data"]["data"] == {"i": "2"}
    assert root.secrets.kv.v2.read_secret_version(path, version=1)["data"]["data"] == {"i": "0"}


def test_patch_merges(root):
    path = unique("patch")
    root.secrets.kv.v2.create_or_update_secret(path, secret={"a": "1", "b": "2"})
    root.secrets.kv.v2.patch(path, secret={"b": "3", "c": "4"})
    data = root.secrets.kv.v2.read_secret_version(path)["data"]
    assert data["data"] == {"a": "1", "b": "3", "c": "4"}
    assert data["metadata"]["version"] == 2


def test_list_secrets(root):
    folder = unique("dir")
    root.secrets.kv.v2.create_or_update_secret(f"{folder}/one", secret={"x": "1"})
    root.secrets.kv.v2.create_or_update_secret(f"{folder}/sub/two", secret={"x": "2"})
    keys = root.secrets.kv.v2.list_secrets(folder)["data"]["keys"]
    assert sorted(keys) == ["one", "sub/"]


def test_list_missing_folder_is_404(root):
    with pytest.raises(hvac.exceptions.InvalidPath):
        root.secrets.kv.v2.list_secrets(unique("nothing"))


def test_read_missing_is_404(root):
    with pytest.raises(hvac.exceptions.InvalidPath):
        root.secrets.kv.v2.read_secret_version(unique("absent"))


def test_delete_undelete_destroy(root, server):
    path = unique("life")
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "1"})
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "2"})
    root.secrets.kv.v2.delete_latest_version_of_secret(path)
    # A deleted version answers 404 with the metadata in the body, as Vault.
    resp = requests.get(server.url(f"secret/data/{path}"),
                        headers={"X-Vault-Token": server.root_token})
    assert resp.status_code == 404
    body = resp.json()
    assert body["data"]["data"] is None
    assert body["data"]["metadata"]["deletion_time"] != ""

    root.secrets.kv.v2.undelete_secret_versions(path, versions=[2])
    assert root.secrets.kv.v2.read_secret_version(path)["data"]["data"] == {"v": "2"}

    root.secrets.kv.v2.destroy_secret_versions(path, versions=[1])
    meta = root.secrets.kv.v2.read_secret_metadata(path)["data"]
    assert meta["versions"]["1"]["destroyed"] is True
    assert meta["current_version"] == 2

    root.secrets.kv.v2.delete_secret_versions(path, versions=[2])
    with pytest.raises(hvac.exceptions.InvalidPath):
        root.secrets.kv.v2.read_secret_version(path)


def test_metadata_read_and_update(root):
    path = unique("meta")
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "1"})
    root.secrets.kv.v2.update_metadata(path, max_versions=2, cas_required=False)
    meta = root.secrets.kv.v2.read_secret_metadata(path)["data"]
    assert meta["max_versions"] == 2
    for i in range(3):
        root.secrets.kv.v2.create_or_update_secret(path, secret={"v": str(i + 2)})
    meta = root.secrets.kv.v2.read_secret_metadata(path)["data"]
    assert meta["current_version"] == 4
    assert sorted(meta["versions"].keys()) == ["3", "4"]  # past max_versions the oldest go


def test_delete_metadata_removes_everything(root):
    path = unique("gone")
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "1"})
    root.secrets.kv.v2.delete_metadata_and_all_versions(path)
    with pytest.raises(hvac.exceptions.InvalidPath):
        root.secrets.kv.v2.read_secret_metadata(path)


def test_cas_mismatch_is_400(root):
    path = unique("cas")
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "1"})
    with pytest.raises(hvac.exceptions.InvalidRequest) as err:
        root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "2"}, cas=0)
    assert "check-and-set" in str(err.value)
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "2"}, cas=1)
    assert root.secrets.kv.v2.read_secret_version(path)["data"]["metadata"]["version"] == 2


def test_cas_required_by_metadata(root):
    path = unique("casreq")
    root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "1"})
    root.secrets.kv.v2.update_metadata(path, cas_required=True)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        root.secrets.kv.v2.create_or_update_secret(path, secret={"v": "2"})


def test_config_round_trip(root):
    mount = unique("kvc")
    root.sys.enable_secrets_engine("kv", path=mount, options={"version": "2"})
    root.secrets.kv.v2.configure(max_versions=5, mount_point=mount)
    config = root.secrets.kv.v2.read_configuration(mount_point=mount)["data"]
    assert config["max_versions"] == 5


def test_secret_in_a_new_v2_mount(root):
    mount = unique("kv2")
    root.sys.enable_secrets_engine("kv-v2", path=mount)
    root.secrets.kv.v2.create_or_update_secret("a", secret={"k": "v"}, mount_point=mount)
    assert root.secrets.kv.v2.read_secret_version("a", mount_point=mount)["data"]["data"] == {
        "k": "v"
    }
    mounts = root.sys.list_mounted_secrets_engines()
    data = mounts.get("data", mounts)
    assert data[mount + "/"]["options"]["version"] == "2"
