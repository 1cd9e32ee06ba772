# tests/e2e/test_profile_cli.py: `cellar profile ...` against a running dev server, including a bad
# profile whose errors are printed under the offending line with a caret.
import json
import os
import subprocess

import pytest

from conftest import CELLAR_BIN, skip_unless_route, unique

PROFILE = """input { data = { app = "string", n = "number?" } }
request "a" { path = "secret/data/${input.data.app}/a" }
request "w" {
  path      = "secret/data/${input.data.app}/written"
  operation = "update"
  data      = { data = { v = "1" } }
}
output {
  data = { user = request.a.data.data.user, twice = input.data.n != null ? input.data.n * 2 : 0 }
}
"""

BAD = """request "a" {
  path = "secret/data/${request.nope.data}"
}
request "b" {
  path      = "secret/data/x"
  operation = "fetch"
}
output { data = request.a.data }
"""


SIGNED = """input {
  signed = true
  data   = { app = "string" }
}
request "a" { path = "secret/data/${input.data.app}/a" }
output { data = { user = request.a.data.data.user } }
"""


@pytest.fixture
def cli(server, tmp_path):
    skip_unless_route(server, "LIST", "sys/profiles/modify")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "CELLAR_ADDR": server.addr, "CELLAR_TOKEN": server.root_token}

    def run(*args, stdin=None, check=True, token=None):
        e = dict(env, CELLAR_TOKEN=token) if token else env
        proc = subprocess.run([CELLAR_BIN, *args], capture_output=True, text=True, env=e,
                              input=stdin, timeout=30)
        if check:
            assert proc.returncode == 0, f"{args}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    return run


@pytest.fixture
def app(cli):
    app = unique("capp")
    cli("kv", "put", f"secret/{app}/a", "user=alice")
    return app


def write(cli, tmp_path, name, text):
    path = tmp_path / f"{name}.hcl"
    path.write_text(text)
    return cli("profile", "write", name, str(path), check=False)


def test_write_read_list_delete(cli, tmp_path):
    name = unique("prof")
    proc = write(cli, tmp_path, name, PROFILE)
    assert proc.returncode == 0, proc.stderr
    assert f"Success! Uploaded profile: {name}" in proc.stdout
    assert cli("profile", "read", name).stdout == PROFILE
    body = json.loads(cli("profile", "read", "-format=json", name).stdout)
    assert body["data"]["summary"]["inputs"] == {"app": "string", "n": "number?"}
    assert name in cli("profile", "list").stdout
    assert name in json.loads(cli("profile", "list", "-format=json").stdout)
    assert "Success! Deleted profile" in cli("profile", "delete", name).stdout
    missing = cli("profile", "read", name, check=False)
    assert missing.returncode == 2
    assert f"No profile named: {name}" in missing.stderr


def test_write_from_stdin(cli):
    name = unique("prof")
    cli("profile", "write", name, "-", stdin=PROFILE)
    assert cli("profile", "read", name).stdout == PROFILE


def test_execute_with_string_and_json_inputs(cli, tmp_path, app):
    name = unique("prof")
    assert write(cli, tmp_path, name, PROFILE).returncode == 0
    body = json.loads(cli("profile", "execute", "-format=json", name, f"app={app}", "n:=21").stdout)
    assert body["data"] == {"user": "alice", "twice": 42}
    table = cli("profile", "execute", name, f"app={app}").stdout
    assert "alice" in table and "user" in table
    assert cli("profile", "execute", "-field=user", name, f"app={app}").stdout.strip() == "alice"


def test_execute_error_is_exit_2(cli, tmp_path, app):
    name = unique("prof")
    assert write(cli, tmp_path, name, PROFILE).returncode == 0
    proc = cli("profile", "execute", name, "n:=1", check=False)
    assert proc.returncode == 2
    assert "app" in proc.stderr


def test_plan_executes_nothing(cli, tmp_path, app):
    name = unique("prof")
    assert write(cli, tmp_path, name, PROFILE).returncode == 0
    out = cli("profile", "plan", name, f"app={app}").stdout
    assert f"secret/data/{app}/written" in out and "allowed=true" in out
    plan = json.loads(cli("profile", "plan", "-format=json", name, f"app={app}").stdout)
    assert {r["name"] for r in plan["data"]["requests"]} == {"a", "w"}
    assert cli("kv", "get", f"secret/{app}/written", check=False).returncode == 2


def test_debug_shows_steps_and_output(cli, tmp_path, app):
    name = unique("prof")
    assert write(cli, tmp_path, name, PROFILE).returncode == 0
    out = cli("profile", "debug", name, f"app={app}").stdout
    assert f"secret/data/{app}/a" in out and "Output:" in out
    body = json.loads(cli("profile", "debug", "-format=json", name, f"app={app}").stdout)
    assert [s["name"] for s in body["data"]["steps"]] == ["a", "w"]


def test_bad_profile_prints_each_error_under_its_line(cli, tmp_path):
    name = unique("bad")
    proc = write(cli, tmp_path, name, BAD)
    assert proc.returncode == 2
    err = proc.stderr
    path = str(tmp_path / f"{name}.hcl")
    assert f'profile "{name}" is invalid' in err
    assert f"{path}:2:25: request.nope does not exist" in err
    assert '    path = "secret/data/${request.nope.data}"\n' + " " * 26 + "^" in err
    assert f"{path}:6:15:" in err and 'unknown operation "fetch"' in err
    assert '    operation = "fetch"\n' + " " * 16 + "^" in err
    assert cli("profile", "read", name, check=False).returncode == 2


def test_unreadable_file_is_local_error(cli, tmp_path):
    proc = cli("profile", "write", "x", str(tmp_path / "missing.hcl"), check=False)
    assert proc.returncode == 1
    assert "cannot read" in proc.stderr


def test_bad_json_argument_is_local_error(cli):
    proc = cli("profile", "execute", "x", "n:={nope", check=False)
    assert proc.returncode == 1
    assert "needs a JSON value" in proc.stderr


@pytest.mark.parametrize("kind", ["ec-kid", "ed25519-jwk"])
def test_execute_signed_sends_a_jws_and_no_token(cli, tmp_path, app, kind):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    key = (ec.generate_private_key(ec.SECP256R1()) if kind == "ec-kid"
           else ed25519.Ed25519PrivateKey.generate())
    private = tmp_path / "key.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public = tmp_path / "key.pub.pem"
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    policy = tmp_path / "read.hcl"
    policy.write_text(f'path "secret/data/{app}/a" {{ capabilities = ["read"] }}')
    name, kid, pol = unique("signed"), unique("kid"), unique("pol")
    cli("policy", "write", pol, str(policy))
    assert write(cli, tmp_path, name, SIGNED).returncode == 0
    cli("write", f"sys/profiles/keys/{kid}", f"public_key=@{public}", f"policies={pol}",
        f"profiles={name}")
    flags = [f"-sign-key={private}"] + ([f"-kid={kid}"] if kind == "ec-kid" else [])
    # A token that does not exist: the call only works because none is sent.
    proc = cli("profile", "execute", "-format=json", *flags, name, f"app={app}", token="bogus")
    assert json.loads(proc.stdout)["data"] == {"user": "alice"}
    unsigned = cli("profile", "execute", name, f"app={app}", check=False)
    assert unsigned.returncode == 2 and "this profile takes a JWS" in unsigned.stderr


def test_unreadable_signing_key_is_local_error(cli, tmp_path):
    proc = cli("profile", "execute", f"-sign-key={tmp_path / 'none.pem'}", "x", check=False)
    assert proc.returncode == 1
    assert "cannot read" in proc.stderr
