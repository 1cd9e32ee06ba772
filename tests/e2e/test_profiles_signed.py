# tests/e2e/test_profiles_signed.py: tokenless profile execution against a real dev server: signed
# inputs (ACME-like JWS; keys generated here by python3-cryptography) and `authenticated = false`.
import base64
import json
import time

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conftest import skip_unless_route, unique

# Reads two KV v2 secrets named by the signed input.
PROFILE = """
input {
  signed = true
  data   = { app = "string" }
}
request "a" { path = "secret/data/${input.data.app}/a" }
output { data = { user = request.a.data.data.user } }
"""

# Reads a secret the signing key's role may not read.
PROFILE_B = """
input {
  signed = true
  data   = { app = "string" }
}
request "b" { path = "secret/data/${input.data.app}/b" }
output { data = { pass = request.b.data.data.pass } }
"""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    """A private key and the JWS it signs (RFC 7518 encodings)."""

    def __init__(self, alg):
        self.alg = alg
        if alg == "ES256":
            self.private = ec.generate_private_key(ec.SECP256R1())
        elif alg == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.private = ed25519.Ed25519PrivateKey.generate()

    def pem(self):
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def jwk(self):
        assert self.alg == "EdDSA"
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}

    def sign(self, data):
        if self.alg == "ES256":
            r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        if self.alg == "RS256":
            return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.private.sign(data)

    def jws(self, payload, nonce, kid=None, url=None, signer=None):
        header = {"alg": self.alg, "nonce": nonce}
        if kid is not None:
            header["kid"] = kid
        else:
            header["jwk"] = self.jwk()
        if url is not None:
            header["url"] = url
        protected = b64url(json.dumps(header).encode())
        body = b64url(json.dumps(payload).encode())
        signature = (signer or self).sign(f"{protected}.{body}".encode())
        return {"protected": protected, "payload": body, "signature": b64url(signature)}


def root_call(srv, method, path, body=None):
    return requests.request(
        method, srv.url(path), headers={"X-Vault-Token": srv.root_token}, json=body
    )


def anonymous(srv, method, path, body=None):
    """A request with no token at all."""
    return requests.request(method, srv.url(path), json=body)


def nonce(srv):
    resp = anonymous(srv, "GET", "sys/profiles/nonce")
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]["nonce"]


def errors(resp):
    return " ".join(resp.json().get("errors", []))


@pytest.fixture(scope="module")
def setup(server):
    skip_unless_route(server, "GET", "sys/profiles/nonce")
    app = unique("app")
    for key, data in (("a", {"user": "alice"}), ("b", {"pass": "s3cret"})):
        resp = root_call(server, "PUT", f"secret/data/{app}/{key}", body={"data": data})
        assert resp.status_code == 200, resp.text
    policy = unique("pol")
    rules = f'path "secret/data/{app}/a" {{ capabilities = ["read"] }}'
    resp = root_call(server, "PUT", f"sys/policies/acl/{policy}", body={"policy": rules})
    assert resp.status_code in (200, 204), resp.text
    names = {"web": unique("web"), "web_b": unique("webb")}
    for name, text in ((names["web"], PROFILE), (names["web_b"], PROFILE_B)):
        resp = root_call(server, "PUT", f"sys/profiles/modify/{name}", body={"profile": text})
        assert resp.status_code == 204, resp.text
    keys = {}
    for alg in ("ES256", "RS256", "EdDSA"):
        key = Key(alg)
        kid = unique("k")
        resp = root_call(
            server,
            "PUT",
            f"sys/profiles/keys/{kid}",
            body={
                "public_key": json.dumps(key.jwk()) if alg == "EdDSA" else key.pem(),
                "policies": [policy],
                "profiles": [names["web"], names["web_b"]],
                "token_ttl": "1m",
            },
        )
        assert resp.status_code == 204, resp.text
        keys[alg] = (key, kid)
    return {"app": app, "keys": keys, **names}


def execute(srv, profile, body):
    return anonymous(srv, "POST", f"sys/profiles/execute/{profile}", body)


def token_count(srv):
    resp = root_call(srv, "LIST", "auth/token/accessors")
    assert resp.status_code == 200, resp.text
    return len(resp.json()["data"]["keys"])


def test_nonce_needs_no_token(server, setup):
    resp = anonymous(server, "GET", "sys/profiles/nonce")
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert len(data["nonce"]) == 22
    assert data["expires_in"] > 0
    assert nonce(server) != data["nonce"]


@pytest.mark.parametrize("alg", ["ES256", "RS256"])
def test_good_signature_with_kid_runs_without_a_token(server, setup, alg):
    key, kid = setup["keys"][alg]
    url = server.url(f"sys/profiles/execute/{setup['web']}")
    before = token_count(server)
    resp = execute(server, setup["web"], key.jws({"app": setup["app"]}, nonce(server), kid, url))
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"user": "alice"}
    assert token_count(server) == before  # the role token was revoked


def test_embedded_jwk_identifies_the_bound_key(server, setup):
    key, _ = setup["keys"]["EdDSA"]
    resp = execute(server, setup["web"], key.jws({"app": setup["app"]}, nonce(server)))
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"user": "alice"}


def test_compact_serialization(server, setup):
    key, kid = setup["keys"]["ES256"]
    flat = key.jws({"app": setup["app"]}, nonce(server), kid)
    compact = ".".join((flat["protected"], flat["payload"], flat["signature"]))
    resp = execute(server, setup["web"], {"jws": compact})
    assert resp.status_code == 200, resp.text


def test_workflows_alias_takes_signed_input(server, setup):
    key, kid = setup["keys"]["ES256"]
    body = key.jws({"app": setup["app"]}, nonce(server), kid)
    resp = anonymous(server, "POST", f"sys/workflows/execute/{setup['web']}", body)
    assert resp.status_code == 200, resp.text


def test_replayed_nonce_is_rejected(server, setup):
    key, kid = setup["keys"]["ES256"]
    body = key.jws({"app": setup["app"]}, nonce(server), kid)
    assert execute(server, setup["web"], body).status_code == 200
    again = execute(server, setup["web"], body)
    assert again.status_code == 403, again.text
    assert "nonce is unknown or already used" in errors(again)


def test_made_up_nonce_is_rejected(server, setup):
    key, kid = setup["keys"]["ES256"]
    resp = execute(server, setup["web"], key.jws({"app": setup["app"]}, "bm90LWlzc3VlZA", kid))
    assert resp.status_code == 403, resp.text
    assert "nonce" in errors(resp)


def test_bad_signature_is_rejected(server, setup):
    key, kid = setup["keys"]["ES256"]
    forger = Key("ES256")
    body = key.jws({"app": setup["app"]}, nonce(server), kid, signer=forger)
    resp = execute(server, setup["web"], body)
    assert resp.status_code == 403, resp.text
    assert "signature does not verify" in errors(resp)


def test_tampered_payload_is_rejected(server, setup):
    key, kid = setup["keys"]["RS256"]
    body = key.jws({"app": setup["app"]}, nonce(server), kid)
    body["payload"] = b64url(json.dumps({"app": "other"}).encode())
    resp = execute(server, setup["web"], body)
    assert resp.status_code == 403, resp.text


def test_unbound_key_is_rejected(server, setup):
    stranger = Key("EdDSA")
    resp = execute(server, setup["web"], stranger.jws({"app": setup["app"]}, nonce(server)))
    assert resp.status_code == 403, resp.text
    assert "is not bound to a role" in errors(resp)


def test_unknown_kid_is_rejected(server, setup):
    key, _ = setup["keys"]["ES256"]
    resp = execute(server, setup["web"], key.jws({"app": setup["app"]}, nonce(server), "nobody"))
    assert resp.status_code == 403, resp.text
    assert 'key "nobody" is not bound to a role' in errors(resp)


def test_url_for_another_profile_is_rejected(server, setup):
    key, kid = setup["keys"]["ES256"]
    url = server.url(f"sys/profiles/execute/{setup['web_b']}")
    resp = execute(server, setup["web"], key.jws({"app": setup["app"]}, nonce(server), kid, url))
    assert resp.status_code == 403, resp.text
    assert "url" in errors(resp)


def test_role_policies_bound_the_sub_requests(server, setup):
    key, kid = setup["keys"]["ES256"]
    before = token_count(server)
    resp = execute(server, setup["web_b"], key.jws({"app": setup["app"]}, nonce(server), kid))
    assert resp.status_code == 403, resp.text
    assert 'request "b"' in errors(resp)
    assert token_count(server) == before


def test_auth_block_profile_runs_without_a_token(server, setup):
    mount = unique("up")
    resp = root_call(server, "POST", f"sys/auth/{mount}", {"type": "userpass"})
    assert resp.status_code == 204, resp.text
    policy = root_call(server, "GET", f"sys/profiles/keys/{setup['keys']['ES256'][1]}")
    resp = root_call(
        server,
        "POST",
        f"auth/{mount}/users/bob",
        {"password": "pw", "token_policies": policy.json()["data"]["policies"]},
    )
    assert resp.status_code == 204, resp.text
    name = unique("login")
    text = f"""
input {{
  authenticated = false
  data          = {{ user = "string", pass = "string" }}
}}
auth {{
  path = "auth/{mount}/login/${{input.data.user}}"
  data = {{ password = input.data.pass }}
}}
request "a" {{ path = "secret/data/{setup['app']}/a" }}
output {{ data = {{ user = request.a.data.data.user }} }}
"""
    resp = root_call(server, "PUT", f"sys/profiles/modify/{name}", body={"profile": text})
    assert resp.status_code == 204, resp.text
    resp = execute(server, name, {"user": "bob", "pass": "pw"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"user": "alice"}
    resp = execute(server, name, {"user": "bob", "pass": "wrong"})
    assert resp.status_code in (400, 403), resp.text


def test_unsigned_body_for_signed_profile_is_400(server, setup):
    resp = root_call(server, "POST", f"sys/profiles/execute/{setup['web']}", {"app": setup["app"]})
    assert resp.status_code == 400, resp.text
    assert "this profile takes a JWS" in errors(resp)


def test_unsigned_profile_still_needs_a_token(server, setup):
    name = unique("plain")
    text = 'request "a" { path = "secret/data/x" }\noutput { data = request.a.data }'
    resp = root_call(server, "PUT", f"sys/profiles/modify/{name}", body={"profile": text})
    assert resp.status_code == 204, resp.text
    resp = execute(server, name, {})
    assert resp.status_code == 403, resp.text


def test_modify_and_keys_still_need_a_token(server, setup):
    assert anonymous(server, "GET", f"sys/profiles/modify/{setup['web']}").status_code == 403
    assert anonymous(server, "LIST", "sys/profiles/keys").status_code == 403


def test_key_binding_reads_back(server, setup):
    _, kid = setup["keys"]["EdDSA"]
    resp = root_call(server, "GET", f"sys/profiles/keys/{kid}")
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data["algorithm"] == "EdDSA"
    assert data["token_ttl"] == 60
    assert len(data["thumbprint"]) == 43
    listed = root_call(server, "LIST", "sys/profiles/keys")
    assert kid in listed.json()["data"]["keys"]


def test_expired_nonce_is_rejected(server, setup):
    resp = root_call(server, "PUT", "sys/profiles/config", {"nonce_ttl": "1s"})
    assert resp.status_code == 204, resp.text
    try:
        key, kid = setup["keys"]["ES256"]
        body = key.jws({"app": setup["app"]}, nonce(server), kid)
        time.sleep(1.2)  # the server's clock is real here; FakeClock covers this in unit tests
        resp = execute(server, setup["web"], body)
        assert resp.status_code == 403, resp.text
        assert "nonce expired" in errors(resp)
    finally:
        root_call(server, "PUT", "sys/profiles/config", {"nonce_ttl": "5m"})


def test_plan_takes_a_signed_input_without_a_token(server, setup):
    key, kid = setup["keys"]["ES256"]
    body = key.jws({"app": setup["app"]}, nonce(server), kid)
    resp = anonymous(server, "POST", f"sys/profiles/plan/{setup['web']}", body)
    assert resp.status_code == 200, resp.text
    [step] = resp.json()["data"]["requests"]
    assert step["path"] == f"secret/data/{setup['app']}/a"
    assert step["allowed"] is True  # judged with the role token's policies


def test_signature_for_execute_does_not_plan(server, setup):
    key, kid = setup["keys"]["ES256"]
    url = server.url(f"sys/profiles/execute/{setup['web']}")
    body = key.jws({"app": setup["app"]}, nonce(server), kid, url)
    resp = anonymous(server, "POST", f"sys/profiles/plan/{setup['web']}", body)
    assert resp.status_code == 403, resp.text


def test_signed_profile_in_a_namespace_runs_with_that_namespaces_policies(server, setup):
    # The key binding, its policy and the profile all live in the namespace; the minted token is
    # the namespace's, so the root policy of the same name grants nothing there.
    ns = unique("ns")
    assert root_call(server, "PUT", f"sys/namespaces/{ns}").ok

    def in_ns(method, path, body=None):
        return requests.request(method, server.url(f"{ns}/{path}"), json=body,
                                headers={"X-Vault-Token": server.root_token})

    assert in_ns("POST", "sys/mounts/kv", {"type": "kv", "options": {"version": "2"}}).ok
    assert in_ns("PUT", "kv/data/app/a", {"data": {"user": "ns-user"}}).ok
    rules = 'path "kv/data/app/a" { capabilities = ["read"] }'
    assert in_ns("PUT", "sys/policies/acl/reader", {"policy": rules}).ok
    wide = 'path "*" { capabilities = ["read"] }'
    assert root_call(server, "PUT", "sys/policies/acl/wide", {"policy": wide}).ok
    profile = 'input {\n  signed = true\n}\nrequest "a" { path = "kv/data/app/a" }\n' \
              'output { data = { user = request.a.data.data.user } }\n'
    assert in_ns("PUT", "sys/profiles/modify/p", {"profile": profile}).status_code == 204
    keys = {}
    for kid, policy in (("reader-key", "reader"), ("wide-key", "wide")):
        keys[kid] = Key("ES256")
        resp = in_ns("PUT", f"sys/profiles/keys/{kid}",
                     {"public_key": keys[kid].pem(), "policies": [policy], "profiles": ["p"]})
        assert resp.status_code == 204, resp.text
    url = server.url(f"{ns}/sys/profiles/execute/p")
    resp = anonymous(server, "POST", f"{ns}/sys/profiles/execute/p",
                     keys["reader-key"].jws({}, nonce(server), "reader-key", url))
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"user": "ns-user"}
    # "wide" is a root policy: in the namespace it does not exist, so the read is refused.
    resp = anonymous(server, "POST", f"{ns}/sys/profiles/execute/p",
                     keys["wide-key"].jws({}, nonce(server), "wide-key", url))
    assert resp.status_code == 403, resp.text
