# tests/e2e/test_http.py: the wire contract of API.md §1-§2 seen from a plain HTTP client.
import re
import signal
import socket
import threading

import requests

from conftest import unique

ENVELOPE_KEYS = {
    "request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings",
    "auth", "mount_type",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def hdr(server, token=None):
    return {"X-Vault-Token": token or server.root_token}


def test_envelope_has_every_key(server):
    requests.post(server.url("secret/data/env"), headers=hdr(server), json={"data": {"a": "b"}})
    resp = requests.get(server.url("secret/data/env"), headers=hdr(server))
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    body = resp.json()
    assert set(body) == ENVELOPE_KEYS
    assert UUID.match(body["request_id"])
    assert body["wrap_info"] is None and body["auth"] is None and body["warnings"] is None


def test_request_ids_differ(server):
    ids = {requests.get(server.url("secret/data/env"), headers=hdr(server)).json()["request_id"]
           for _ in range(5)}
    assert len(ids) == 5


def test_write_without_output_is_204(server):
    v1 = unique("kv1")
    requests.post(server.url(f"sys/mounts/{v1}"), headers=hdr(server),
                  json={"type": "kv", "options": {"version": "1"}})
    resp = requests.post(server.url(f"{v1}/a"), headers=hdr(server), json={"x": "1"})
    assert resp.status_code == 204
    assert resp.text == ""


def test_list_method_and_query_agree(server):
    folder = unique("l")
    requests.post(server.url(f"secret/data/{folder}/a"), headers=hdr(server),
                  json={"data": {"v": "1"}})
    by_method = requests.request("LIST", server.url(f"secret/metadata/{folder}"),
                                 headers=hdr(server))
    by_query = requests.get(server.url(f"secret/metadata/{folder}?list=True"),
                            headers=hdr(server))
    assert by_method.status_code == by_query.status_code == 200
    assert by_method.json()["data"]["keys"] == by_query.json()["data"]["keys"] == ["a"]


def test_empty_list_is_404_with_no_errors(server):
    resp = requests.request("LIST", server.url(f"secret/metadata/{unique('none')}"),
                            headers=hdr(server))
    assert resp.status_code == 404
    assert resp.json() == {"errors": []}


def test_bearer_token_accepted(server):
    resp = requests.get(server.url("sys/mounts"),
                        headers={"Authorization": f"Bearer {server.root_token}"})
    assert resp.status_code == 200


def test_missing_token_is_403(server):
    resp = requests.get(server.url("secret/data/env"))
    assert resp.status_code == 403
    assert resp.json()["errors"]


def test_bad_token_is_403_not_401(server):
    resp = requests.get(server.url("secret/data/env"), headers=hdr(server, "hvs.nope"))
    assert resp.status_code == 403


def test_health_get_and_head(server):
    get = requests.get(server.url("sys/health"))
    assert get.status_code == 200
    assert get.json()["sealed"] is False
    head = requests.head(server.url("sys/health"))
    assert head.status_code == 200
    assert head.text == ""
    assert server.client().sys.read_health_status(method="GET")["initialized"] is True


def test_seal_status_is_raw(server):
    body = requests.get(server.url("sys/seal-status")).json()
    assert "request_id" not in body
    assert body["sealed"] is False and body["type"] == "shamir"


def test_head_elsewhere_is_405(server):
    assert requests.head(server.url("secret/data/x"), headers=hdr(server)).status_code == 405


def test_unknown_method_is_405(server):
    resp = requests.request("TRACE", server.url("secret/data/x"), headers=hdr(server))
    assert resp.status_code == 405


def test_patch_without_merge_patch_type_is_415(server):
    resp = requests.patch(server.url("secret/data/x"), headers=hdr(server),
                          json={"data": {"a": "b"}})
    assert resp.status_code == 415
    assert resp.json()["errors"]


def test_wrap_ttl_refused(server):
    resp = requests.get(server.url("secret/data/x"),
                        headers={**hdr(server), "X-Vault-Wrap-TTL": "60s"})
    assert resp.status_code == 400


def test_outside_v1_is_404(server):
    assert requests.get(server.addr + "/v2/secret/data/x").status_code == 404
    assert requests.get(server.addr + "/").status_code == 404


def test_no_mount_is_404_no_handler(server):
    resp = requests.get(server.url(f"{unique('nomount')}/x"), headers=hdr(server))
    assert resp.status_code == 404
    assert "no handler for route" in resp.json()["errors"][0]


def test_keep_alive_reuses_connection(server):
    with requests.Session() as s:
        for _ in range(20):
            assert s.get(server.url("sys/health")).status_code == 200


def test_concurrent_clients(server):
    errors = []

    def worker(n):
        with requests.Session() as s:
            for i in range(10):
                path = f"secret/data/conc{n}"
                r = s.post(server.url(path), headers=hdr(server), json={"data": {"i": str(i)}})
                if r.status_code != 200:
                    errors.append(r.status_code)
            r = s.get(server.url(path), headers=hdr(server))
            if r.json()["data"]["data"] != {"i": "9"}:
                errors.append("bad read")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_sigterm_shuts_down_cleanly(fresh_server):
    assert requests.get(fresh_server.url("sys/health")).status_code == 200
    assert fresh_server.stop(signal.SIGTERM) == 0


def test_sigint_shuts_down_cleanly(fresh_server):
    assert fresh_server.stop(signal.SIGINT) == 0


def test_idle_connection_does_not_block_shutdown(fresh_server):
    host, port = fresh_server.addr.split("//")[1].split(":")
    idle = socket.create_connection((host, int(port)))
    idle.sendall(b"GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n")
    idle.recv(4096)
    assert fresh_server.stop(signal.SIGTERM, timeout=5) == 0
    idle.close()
