# tests/e2e/test_profiles_tx.py: profile executions as a unit: transaction = true (commit or
# rollback of every storage write), undoing what a failed execution created, max_requests, timeout.
import threading

import pytest
import requests

from conftest import skip_unless_route, unique


def call(srv, method, path, token=None, body=None):
    return requests.request(
        method, srv.url(path), headers={"X-Vault-Token": token or srv.root_token}, json=body
    )


def errors(resp):
    return " ".join(resp.json().get("errors", []))


@pytest.fixture(scope="module", autouse=True)
def profiles_landed(server):
    skip_unless_route(server, "LIST", "sys/profiles/modify")


def put_profile(srv, text):
    name = unique("p")
    resp = call(srv, "PUT", f"sys/profiles/modify/{name}", body={"profile": text})
    assert resp.status_code == 204, resp.text
    return name


def execute(srv, name, token=None, body=None):
    return call(srv, "POST", f"sys/profiles/execute/{name}", token=token, body=body)


def kv(srv, path):
    """The field v of the KV v2 secret at secret/data/<path>, or None when it does not exist."""
    resp = call(srv, "GET", f"secret/data/{path}")
    if resp.status_code == 404:
        return None
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]["data"]["v"]


def writes_profile(ns, transaction, fail):
    """Two writes, one after the other; with `fail` a third request then goes to no mount."""
    text = "transaction = true\n" if transaction else ""
    text += f"""
request "w1" {{
  path      = "secret/data/{ns}/one"
  operation = "update"
  data      = {{ data = {{ v = "1" }} }}
}}
request "w2" {{
  path       = "secret/data/{ns}/two"
  operation  = "update"
  data       = {{ data = {{ v = "2" }} }}
  depends_on = [request.w1]
}}
"""
    if fail:
        text += f"""
request "boom" {{
  path       = "nosuchmount/{ns}"
  depends_on = [request.w2]
}}
"""
    return text + "output { data = { ok = true } }\n"


def fresh_ns():
    return unique("tx")


def test_failed_transaction_leaves_earlier_writes_undone(server):
    ns = fresh_ns()
    name = put_profile(server, writes_profile(ns, transaction=True, fail=True))
    resp = execute(server, name)
    assert resp.status_code == 404, resp.text
    # The error names the failing request, its path and its status.
    assert f'request "boom" (nosuchmount/{ns}) failed with status 404' in errors(resp)
    assert kv(server, f"{ns}/one") is None
    assert kv(server, f"{ns}/two") is None


def test_without_transaction_earlier_writes_stay(server):
    ns = fresh_ns()
    name = put_profile(server, writes_profile(ns, transaction=False, fail=True))
    resp = execute(server, name)
    assert resp.status_code == 404, resp.text
    assert kv(server, f"{ns}/one") == "1"
    assert kv(server, f"{ns}/two") == "2"


def test_successful_transaction_commits_every_write(server):
    ns = fresh_ns()
    name = put_profile(server, writes_profile(ns, transaction=True, fail=False))
    resp = execute(server, name)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"ok": True}
    assert kv(server, f"{ns}/one") == "1"
    assert kv(server, f"{ns}/two") == "2"


def test_transaction_reads_its_own_writes(server):
    ns = fresh_ns()
    name = put_profile(server, f"""
transaction = true
request "w" {{
  path      = "secret/data/{ns}/mine"
  operation = "update"
  data      = {{ data = {{ v = "seen" }} }}
}}
request "r" {{
  path       = "secret/data/{ns}/mine"
  depends_on = [request.w]
}}
output {{ data = {{ v = request.r.data.data.v }} }}
""")
    resp = execute(server, name)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"v": "seen"}


def test_transaction_refuses_writes_it_cannot_roll_back(server):
    name = put_profile(server, f"""
transaction = true
request "pol" {{
  path      = "sys/policies/acl/{unique('pol')}"
  operation = "update"
  data      = {{ policy = "path \\"x\\" {{ capabilities = [\\"read\\"] }}" }}
}}
output {{ data = {{ ok = true }} }}
""")
    resp = execute(server, name)
    assert resp.status_code == 400, resp.text
    assert "inside a transaction" in errors(resp)


def accessors(srv):
    resp = call(srv, "LIST", "auth/token/accessors")
    assert resp.status_code == 200, resp.text
    return set(resp.json()["data"]["keys"])


@pytest.mark.parametrize("transaction", [False, True])
def test_fatal_error_revokes_tokens_the_execution_created(server, transaction):
    ns = fresh_ns()
    name = put_profile(server, ("transaction = true\n" if transaction else "") + f"""
request "child" {{
  path      = "auth/token/create"
  operation = "update"
  data      = {{ policies = ["default"], ttl = "1h" }}
}}
request "boom" {{
  path       = "nosuchmount/{ns}"
  depends_on = [request.child]
}}
output {{ data = {{ t = request.child.auth.client_token }} }}
""")
    # The caller may create tokens and run the profile, and nothing else: no right to revoke, so
    # the clean-up runs with the server's authority.
    policy = unique("pol")
    resp = call(server, "PUT", f"sys/policies/acl/{policy}", body={"policy": f"""
        path "sys/profiles/execute/{name}" {{ capabilities = ["update"] }}
        path "auth/token/create" {{ capabilities = ["update"] }}
    """})
    assert resp.status_code in (200, 204), resp.text
    resp = call(server, "POST", "auth/token/create", body={"policies": [policy], "ttl": "1h"})
    assert resp.status_code == 200, resp.text
    caller = resp.json()["auth"]["client_token"]

    before = accessors(server)
    resp = execute(server, name, token=caller)
    # The caller has no right on the failing path: 403, named after the request.
    assert resp.status_code == 403, resp.text
    assert f'request "boom" (nosuchmount/{ns}) failed with status 403' in errors(resp)
    assert accessors(server) == before
    # The caller's own token is untouched.
    assert call(server, "GET", "auth/token/lookup-self", token=caller).status_code == 200


def test_successful_execution_keeps_the_tokens_it_created(server):
    name = put_profile(server, """
request "child" {
  path      = "auth/token/create"
  operation = "update"
  data      = { policies = ["default"], ttl = "1h" }
}
output { data = { t = request.child.auth.client_token } }
""")
    resp = execute(server, name)
    assert resp.status_code == 200, resp.text
    child = resp.json()["data"]["t"]
    assert call(server, "GET", "auth/token/lookup-self", token=child).status_code == 200


def for_each_writes(ns, count, settings):
    return settings + f"""
input {{ data = {{ keys = "list" }} }}
request "w" {{
  for_each  = input.data.keys
  path      = "secret/data/{ns}/k${{each.value}}"
  operation = "update"
  data      = {{ data = {{ v = each.value }} }}
}}
output {{ data = {{ n = length(request.w) }} }}
"""


def test_max_requests_counts_for_each_expansion(server):
    ns = fresh_ns()
    name = put_profile(server, for_each_writes(ns, 5, "max_requests = 4\n"))
    resp = execute(server, name, body={"keys": [str(i) for i in range(5)]})
    assert resp.status_code == 400, resp.text
    assert "max_requests" in errors(resp)
    # Refused before the stage ran: nothing was written.
    assert all(kv(server, f"{ns}/k{i}") is None for i in range(5))
    resp = execute(server, name, body={"keys": [str(i) for i in range(4)]})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"n": 4}


def test_default_max_requests_is_64(server):
    ns = fresh_ns()
    name = put_profile(server, for_each_writes(ns, 65, ""))
    resp = execute(server, name, body={"keys": [str(i) for i in range(65)]})
    assert resp.status_code == 400, resp.text
    assert "more than 64" in errors(resp)
    resp = execute(server, name, body={"keys": [str(i) for i in range(64)]})
    assert resp.status_code == 200, resp.text


def test_timeout_fails_the_execution_and_rolls_back_a_transaction(server):
    ns = fresh_ns()
    # 300 writes take far longer than 1ms; the deadline is checked when the stage ends.
    name = put_profile(server, for_each_writes(ns, 300,
                                               'transaction = true\nmax_requests = 1000\n'
                                               'timeout = "1ms"\n'))
    resp = execute(server, name, body={"keys": [str(i) for i in range(300)]})
    assert resp.status_code == 400, resp.text
    assert "timed out" in errors(resp), errors(resp)
    assert kv(server, f"{ns}/k0") is None
    assert kv(server, f"{ns}/k299") is None


def test_concurrent_direct_reads_never_see_uncommitted_writes(server):
    """A transaction whose writes are never committed (it fails at the end): a client reading the
    first key over and over, during and after the execution, must never find it."""
    ns = fresh_ns()
    keys = [str(i) for i in range(200)]
    text = for_each_writes(ns, len(keys), "transaction = true\nmax_requests = 1000\n")
    text = text.replace("output {", f"""request "boom" {{
  path       = "nosuchmount/{ns}"
  depends_on = [request.w]
}}
output {{""")
    name = put_profile(server, text)
    seen = []
    reads = [0]
    done = threading.Event()

    def reader():
        session = requests.Session()
        url = server.url(f"secret/data/{ns}/k0")
        headers = {"X-Vault-Token": server.root_token}
        while not done.is_set():
            status = session.get(url, headers=headers).status_code
            reads[0] += 1
            if status != 404:
                seen.append(status)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        resp = execute(server, name, body={"keys": keys})
    finally:
        done.set()
        thread.join()
    assert resp.status_code == 404, resp.text
    assert seen == [], f"uncommitted write visible to a direct read: {seen}"
    assert reads[0] > 0
    assert kv(server, f"{ns}/k0") is None
