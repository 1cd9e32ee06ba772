# tests/e2e/test_tls.py: the TLS listener: TLS 1.2+ only, client certificates optional.
import socket
import ssl
import subprocess

import hvac
import pytest
import requests


def make_cert(tmp_path, name, cn):
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={cn}",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    return str(cert), str(key)


@pytest.fixture
def tls_server(config_server, tmp_path):
    cert, key = make_cert(tmp_path, "server", "127.0.0.1")
    srv = config_server(tls=(cert, key))
    srv.cert = cert
    return srv


def test_https_address_and_health(tls_server):
    assert tls_server.addr.startswith("https://127.0.0.1:")
    resp = requests.get(tls_server.url("sys/seal-status"), verify=tls_server.cert)
    assert resp.status_code == 200
    assert resp.json()["initialized"] is False


def test_hvac_over_tls(tls_server):
    client = hvac.Client(url=tls_server.addr, verify=tls_server.cert)
    assert client.sys.is_initialized() is False


def test_client_certificate_optional(tls_server, tmp_path):
    cert, key = make_cert(tmp_path, "client", "client")
    resp = requests.get(tls_server.url("sys/seal-status"), verify=tls_server.cert,
                        cert=(cert, key))
    assert resp.status_code == 200


def test_tls_1_1_refused(tls_server):
    host, port = tls_server.addr.split("//")[1].split(":")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        import warnings

        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        pytest.skip("this OpenSSL cannot even offer TLS 1.1")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        with pytest.raises((ssl.SSLError, ConnectionResetError, OSError)):
            with ctx.wrap_socket(raw) as tls:
                tls.sendall(b"GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n")
                tls.recv(10)


def test_plain_http_to_tls_port_fails_cleanly(tls_server):
    plain = tls_server.addr.replace("https://", "http://")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(plain + "/v1/sys/health", timeout=5)
    assert requests.get(tls_server.url("sys/health"), verify=tls_server.cert).status_code == 501
