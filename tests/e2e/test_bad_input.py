# tests/e2e/test_bad_input.py: every malformed request gets the right status and {"errors":[...]}
# (or a closed connection), nothing stored changes, and the server keeps serving.
import socket
import time

import pytest
import requests

from conftest import unique


def hdr(server):
    return {"X-Vault-Token": server.root_token}


@pytest.fixture
def sentinel(server):
    """A secret written before the bad request; it must be unchanged afterwards."""
    path = unique("sentinel")
    r = requests.post(server.url(f"secret/data/{path}"), headers=hdr(server),
                      json={"data": {"keep": "me"}})
    assert r.status_code == 200
    yield path
    still = requests.get(server.url(f"secret/data/{path}"), headers=hdr(server))
    assert still.status_code == 200, "server stopped serving or lost data"
    assert still.json()["data"]["data"] == {"keep": "me"}
    assert still.json()["data"]["metadata"]["version"] == 1


def raw_request(server, data, read=True, timeout=5):
    host, port = server.addr.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
        return b"".join(chunks)


def assert_error(resp, status):
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"] == "application/json"
    assert isinstance(resp.json()["errors"], list)


@pytest.mark.parametrize(
    "body",
    [b"{", b"{\"data\": }", b"not json", b"{\"a\":1}{\"b\":2}", b"\xff\xfe\xfd",
     b"{\"data\":{\"k\":\"\xc3\x28\"}}", b"[]", b"[{\"data\":{}}]", b"\"string\"", b"42",
     b"true"],
)
def test_bad_bodies_are_400(server, sentinel, body):
    resp = requests.post(server.url(f"secret/data/{sentinel}"), headers=hdr(server), data=body)
    assert_error(resp, 400)


def test_wrong_field_type_is_400_naming_field(server, sentinel):
    resp = requests.post(server.url(f"secret/data/{sentinel}"), headers=hdr(server),
                         json={"data": "not-a-map"})
    assert_error(resp, 400)
    assert "data" in resp.json()["errors"][0]


def test_wrong_option_type_is_400(server, sentinel):
    resp = requests.post(server.url(f"secret/data/{sentinel}"), headers=hdr(server),
                         json={"data": {"a": "b"}, "options": {"cas": "not-a-number"}})
    assert_error(resp, 400)


def test_unknown_path_is_404(server, sentinel):
    resp = requests.get(server.url("secret/nonsense/deeper"), headers=hdr(server))
    assert resp.status_code in (404, 405)
    assert resp.json()["errors"]


def test_body_over_32_mib_is_413(server, sentinel):
    big = b"{\"data\":{\"x\":\"" + b"a" * (33 << 20) + b"\"}}"
    resp = requests.post(server.url(f"secret/data/{sentinel}"), headers=hdr(server), data=big)
    assert_error(resp, 413)


def test_body_just_under_limit_is_accepted_or_refused_cleanly(server, sentinel):
    body = b"{\"data\":{\"x\":\"" + b"a" * (1 << 20) + b"\"}}"
    resp = requests.post(server.url(f"secret/data/{unique('big')}"), headers=hdr(server),
                         data=body)
    assert resp.status_code in (200, 400, 413)


@pytest.mark.parametrize("path", ["secret/data/../data/x", "secret/data/./x",
                                  "secret/data/%2e%2e/x", "secret/data/a%00b"])
def test_dot_segments_and_nul_are_400(server, sentinel, path):
    # Sent raw: requests would normalise ".." away before sending.
    reply = raw_request(server, f"GET /v1/{path} HTTP/1.1\r\nHost: x\r\n"
                                f"X-Vault-Token: {server.root_token}\r\n"
                                "Connection: close\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]
    assert b"\"errors\"" in reply


def test_invalid_utf8_in_path_is_400(server, sentinel):
    reply = raw_request(server, b"GET /v1/secret/data/%ff%fe HTTP/1.1\r\nHost: x\r\n"
                                b"Connection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]


def test_huge_headers_refused(server, sentinel):
    reply = raw_request(server, b"GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nX-Big: "
                                + b"b" * (1 << 20) + b"\r\n\r\n")
    assert reply == b"" or reply.split(b" ")[1] in (b"431", b"400", b"413")


def test_many_headers_refused(server, sentinel):
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(2000))
    reply = raw_request(server, b"GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert reply == b"" or reply.split(b" ")[1] in (b"431", b"400")


def test_garbage_request_line(server, sentinel):
    reply = raw_request(server, b"\x00\x01\x02 garbage\r\n\r\n")
    assert reply == b"" or reply.startswith(b"HTTP/1.1 400")


def test_connection_dropped_mid_body(server, sentinel):
    host, port = server.addr.split("//")[1].split(":")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(f"POST /v1/secret/data/{sentinel} HTTP/1.1\r\nHost: x\r\n"
                  f"X-Vault-Token: {server.root_token}\r\nContent-Length: 1000\r\n\r\n"
                  "{\"data\":{\"keep\":\"over".encode())
    # the fixture checks the secret is unchanged and the server still answers


def test_connection_dropped_mid_headers(server, sentinel):
    host, port = server.addr.split("//")[1].split(":")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(b"POST /v1/secret/data/x HTTP/1.1\r\nHost: x\r\nContent-Le")


def test_many_dropped_connections(server, sentinel):
    host, port = server.addr.split("//")[1].split(":")
    for _ in range(50):
        with socket.create_connection((host, int(port))) as s:
            s.sendall(b"GET /v1/sys/hea")


def test_bad_list_parameter_is_400(server, sentinel):
    resp = requests.get(server.url("secret/metadata/?list=perhaps"), headers=hdr(server))
    assert_error(resp, 400)


def test_write_to_trailing_slash_is_400(server, sentinel):
    resp = requests.post(server.url("secret/data/folder/"), headers=hdr(server),
                         json={"data": {"a": "b"}})
    assert_error(resp, 400)


def test_slow_client_is_disconnected(config_server):
    srv = config_server(extra_listener='  http_read_timeout = "1s"\n')
    host, port = srv.addr.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"GET /v1/sys/health HTTP/1.1\r\n")  # never finishes
        start = time.monotonic()
        data = s.recv(1024)
        assert data == b""
        assert time.monotonic() - start < 8
    assert requests.get(srv.url("sys/health")).status_code in (200, 501, 503)
