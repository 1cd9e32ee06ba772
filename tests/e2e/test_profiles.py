# tests/e2e/test_profiles.py: sys/profiles/* and the OpenBao sys/workflows/* aliases on a dev server.
import re

import pytest
import requests

from conftest import skip_unless_route, unique

# Reads two KV v2 secrets and shapes one answer from both.
BOTH = """
request "a" { path = "secret/data/%(ns)s/a" }
request "b" { path = "secret/data/%(ns)s/b" }
output { data = { user = request.a.data.data.user, pass = request.b.data.data.pass } }
"""

# One read and one write: plan must report each without running the write.
READ_AND_WRITE = """
request "r" { path = "secret/data/%(ns)s/a" }
request "w" {
  path      = "secret/data/%(ns)s/written"
  operation = "update"
  data      = { data = { v = "1" } }
}
output { data = { user = request.r.data.data.user } }
"""


def call(srv, method, path, token=None, body=None):
    return requests.request(
        method, srv.url(path), headers={"X-Vault-Token": token or srv.root_token}, json=body
    )


def errors(resp):
    return " ".join(resp.json().get("errors", []))


@pytest.fixture(scope="module")
def ns(server):
    skip_unless_route(server, "LIST", "sys/profiles/modify")
    ns = unique("p")
    for key, data in (("a", {"user": "alice"}), ("b", {"pass": "s3cret"})):
        resp = call(server, "PUT", f"secret/data/{ns}/{key}", body={"data": data})
        assert resp.status_code == 200, resp.text
    return ns


def put_profile(srv, name, text, key="profile", route="sys/profiles/modify"):
    resp = call(srv, "PUT", f"{route}/{name}", body={key: text})
    assert resp.status_code == 204, resp.text


def token_with(srv, rules):
    policy = unique("pol")
    resp = call(srv, "PUT", f"sys/policies/acl/{policy}", body={"policy": rules})
    assert resp.status_code in (200, 204), resp.text
    resp = call(srv, "POST", "auth/token/create", body={"policies": [policy], "ttl": "1h"})
    assert resp.status_code == 200, resp.text
    return resp.json()["auth"]["client_token"]


def test_execute_shapes_two_kv_reads(server, ns):
    name = unique("both")
    put_profile(server, name, BOTH % {"ns": ns})
    resp = call(server, "POST", f"sys/profiles/execute/{name}")
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"user": "alice", "pass": "s3cret"}


def test_bad_profile_is_400_with_line_and_column(server):
    resp = call(server, "PUT", f"sys/profiles/modify/{unique('bad')}",
                body={"profile": 'request "a" {\n  path = \n}\n'})
    assert resp.status_code == 400, resp.text
    assert re.search(r"\b\d+:\d+: ", errors(resp)), errors(resp)


def test_get_returns_text_and_stages(server, ns):
    name = unique("get")
    text = BOTH % {"ns": ns}
    put_profile(server, name, text)
    resp = call(server, "GET", f"sys/profiles/modify/{name}")
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data["profile"] == text
    assert data["version"] == 1
    # a and b depend on nothing: one stage running both.
    assert [sorted(stage) for stage in data["summary"]["stages"]] == [["a", "b"]]


def test_list_names_stored_profiles(server, ns):
    names = {unique("ls") for _ in range(2)}
    for name in names:
        put_profile(server, name, BOTH % {"ns": ns})
    resp = call(server, "LIST", "sys/profiles/modify")
    assert resp.status_code == 200, resp.text
    assert names <= set(resp.json()["data"]["keys"])


def test_direct_deny_secret_is_readable_only_through_the_profile(server, ns):
    name = unique("dd")
    put_profile(server, name, BOTH % {"ns": ns})
    token = token_with(server, f"""
        path "sys/profiles/execute/{name}" {{ capabilities = ["update"] }}
        path "secret/data/{ns}/a" {{ capabilities = ["read"] }}
        path "secret/data/{ns}/b" {{ capabilities = ["read", "direct-deny"] }}
    """)
    through = call(server, "POST", f"sys/profiles/execute/{name}", token=token)
    assert through.status_code == 200, through.text
    assert through.json()["data"]["pass"] == "s3cret"
    direct = call(server, "GET", f"secret/data/{ns}/b", token=token)
    assert direct.status_code == 403, direct.text


def test_missing_read_on_a_sub_path_is_403_naming_the_request(server, ns):
    name = unique("nor")
    put_profile(server, name, BOTH % {"ns": ns})
    token = token_with(server, f"""
        path "sys/profiles/execute/{name}" {{ capabilities = ["update"] }}
        path "secret/data/{ns}/a" {{ capabilities = ["read"] }}
    """)
    resp = call(server, "POST", f"sys/profiles/execute/{name}", token=token)
    assert resp.status_code == 403, resp.text
    assert 'request "b"' in errors(resp), errors(resp)


def test_execute_needs_a_policy_on_the_profile_path(server, ns):
    name = unique("nop")
    put_profile(server, name, BOTH % {"ns": ns})
    token = token_with(server, f'path "secret/data/{ns}/*" {{ capabilities = ["read"] }}')
    resp = call(server, "POST", f"sys/profiles/execute/{name}", token=token)
    assert resp.status_code == 403, resp.text


def test_workflows_aliases(server, ns):
    name = unique("wf")
    put_profile(server, name, BOTH % {"ns": ns}, key="workflow", route="sys/workflows/manage")
    # Same store as sys/profiles/modify.
    got = call(server, "GET", f"sys/profiles/modify/{name}")
    assert got.status_code == 200, got.text
    # Rewritten before the ACL: a policy on the sys/profiles name covers the alias.
    token = token_with(server, f"""
        path "sys/profiles/execute/{name}" {{ capabilities = ["update"] }}
        path "secret/data/{ns}/*" {{ capabilities = ["read"] }}
    """)
    resp = call(server, "POST", f"sys/workflows/execute/{name}", token=token)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"user": "alice", "pass": "s3cret"}
    trace = call(server, "POST", f"sys/workflows/trace/{name}")
    assert trace.status_code == 200, trace.text
    assert sorted(s["name"] for s in trace.json()["data"]["steps"]) == ["a", "b"]


def test_debug_needs_sudo(server, ns):
    name = unique("dbg")
    put_profile(server, name, BOTH % {"ns": ns})
    token = token_with(server, f"""
        path "sys/profiles/debug/{name}" {{ capabilities = ["update"] }}
        path "secret/data/{ns}/*" {{ capabilities = ["read"] }}
    """)
    resp = call(server, "POST", f"sys/profiles/debug/{name}", token=token)
    assert resp.status_code == 403, resp.text


def test_plan_reports_allowed_without_executing(server, ns):
    name = unique("plan")
    put_profile(server, name, READ_AND_WRITE % {"ns": ns})
    token = token_with(server, f"""
        path "sys/profiles/plan/{name}" {{ capabilities = ["update"] }}
        path "secret/data/{ns}/a" {{ capabilities = ["read"] }}
    """)
    resp = call(server, "POST", f"sys/profiles/plan/{name}", token=token)
    assert resp.status_code == 200, resp.text
    allowed = {r["name"]: r["allowed"] for r in resp.json()["data"]["requests"]}
    assert allowed == {"r": True, "w": False}
    # Even root planning runs nothing: the write's secret still does not exist.
    resp = call(server, "POST", f"sys/profiles/plan/{name}")
    assert resp.status_code == 200, resp.text
    assert all(r["allowed"] for r in resp.json()["data"]["requests"])
    assert call(server, "GET", f"secret/data/{ns}/written").status_code == 404


def test_delete_removes_the_profile(server, ns):
    name = unique("del")
    put_profile(server, name, BOTH % {"ns": ns})
    assert call(server, "DELETE", f"sys/profiles/modify/{name}").status_code == 204
    assert call(server, "POST", f"sys/profiles/execute/{name}").status_code == 404
