# tests/e2e/test_logging.py: one debug line per request, and never a token or a secret value.
import requests


def test_debug_log_has_requests_but_no_secrets(config_server, tmp_path):
    srv = config_server()  # log_level = "debug" in the fixture's config
    client = srv.client()
    init = client.sys.initialize(secret_shares=1, secret_threshold=1)
    client.sys.submit_unseal_key(init["keys_base64"][0])
    root = srv.client(init["root_token"])
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    secret_value = "very-secret-value-7f3a9"
    root.secrets.kv.v2.create_or_update_secret("logged", secret={"password": secret_value})
    requests.get(srv.url("secret/data/logged?version=1&probe=query-secret-91"),
                 headers={"X-Vault-Token": init["root_token"]})
    srv.stop()
    log = (tmp_path / "cellar.log").read_text()
    assert "/v1/secret/data/logged" in log  # the request line
    assert "-> 200" in log
    for secret in (init["root_token"], secret_value, init["keys_base64"][0], "query-secret-91"):
        assert secret not in log, f"{secret!r} leaked into the log"


def test_info_level_has_no_request_lines(tmp_path):
    from conftest import start_dev

    srv = start_dev(tmp_path)
    requests.get(srv.url("sys/health"))
    srv.stop()
    assert "/v1/sys/health" not in (tmp_path / "cellar.log").read_text()
