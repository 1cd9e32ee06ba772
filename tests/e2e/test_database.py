# tests/e2e/test_database.py: the database secrets engine against a private PostgreSQL with
# hvac: generated users log in with their password until their lease is revoked or expires,
# renewals extend them in the database, and mistakes are clear 400s.
import re
import subprocess
import time

import hvac
import pytest
import requests

from conftest import start_dev

ADMIN_PASSWORD = "initial-admin-pw"
CREATE_READONLY = [
    """CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';
       GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";"""
]


def psql(port, sql, user="postgres", password=None):
    """Runs sql over TCP as `user`; returns (ok, output)."""
    env = {"PGPASSWORD": password or "", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["psql", f"host=127.0.0.1 port={port} user={user} dbname=postgres", "-tAc", sql],
        env=env, capture_output=True, text=True, timeout=30)
    return done.returncode == 0, (done.stdout + done.stderr).strip()


@pytest.fixture(scope="module")
def pg_port(postgres):
    port = re.search(r"port=(\d+)", postgres["conninfo"]).group(1)
    ok, out = psql(port, f"CREATE ROLE cellar_admin LOGIN SUPERUSER PASSWORD '{ADMIN_PASSWORD}'; "
                         "CREATE TABLE IF NOT EXISTS orders (id int); INSERT INTO orders VALUES (7)")
    assert ok, out
    return port


@pytest.fixture
def db(tmp_path, pg_port):
    ok, out = psql(pg_port, f"ALTER ROLE cellar_admin PASSWORD '{ADMIN_PASSWORD}'")  # rotated?
    assert ok, out
    srv = start_dev(tmp_path)
    root = srv.client(srv.root_token)
    root.sys.enable_secrets_engine("database", path="database")
    root.secrets.database.configure(
        name="app-db", plugin_name="postgresql-database-plugin",
        connection_url=f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{pg_port}/postgres",
        username="cellar_admin", password=ADMIN_PASSWORD, allowed_roles=["readonly", "short", "failing"])
    root.secrets.database.create_role(name="readonly", db_name="app-db",
                                      creation_statements=CREATE_READONLY,
                                      default_ttl="1h", max_ttl="24h")
    yield root
    srv.stop()


def valid_until(port, user):
    return psql(port, f"SELECT rolvaliduntil FROM pg_roles WHERE rolname = '{user}'")[1]


def test_credentials_log_in_until_the_lease_is_revoked(db, pg_port):
    creds = db.secrets.database.generate_credentials("readonly")
    user, password = creds["data"]["username"], creds["data"]["password"]
    assert re.fullmatch(r"v-root-readonly-[A-Za-z0-9]{20}-\d{10}", user), user
    assert creds["lease_id"].startswith("database/creds/readonly/")
    assert creds["lease_duration"] == 3600 and creds["renewable"] is True

    assert psql(pg_port, "SELECT id FROM orders", user, password) == (True, "7")
    assert psql(pg_port, "SELECT 1", user, "not-" + password)[0] is False

    before = valid_until(pg_port, user)
    db.sys.renew_lease(creds["lease_id"], increment=7200)
    assert valid_until(pg_port, user) > before  # VALID UNTIL follows the renewed lease

    db.sys.revoke_lease(creds["lease_id"])
    assert psql(pg_port, f"SELECT count(*) FROM pg_roles WHERE rolname = '{user}'") == (True, "0")
    assert psql(pg_port, "SELECT 1", user, password)[0] is False


def test_an_expired_lease_drops_the_user(db, pg_port):
    db.secrets.database.create_role(name="short", db_name="app-db",
                                    creation_statements=CREATE_READONLY, default_ttl="1s")
    user = db.secrets.database.generate_credentials("short")["data"]["username"]
    deadline = time.monotonic() + 20  # the expiry thread's round, not a timing assertion
    while time.monotonic() < deadline:
        if psql(pg_port, f"SELECT count(*) FROM pg_roles WHERE rolname = '{user}'")[1] == "0":
            return
        time.sleep(0.2)
    pytest.fail(f"{user} still exists after its lease expired")


def test_config_never_shows_the_password_and_rotate_root_changes_it(db, pg_port):
    config = db.secrets.database.read_connection("app-db")["data"]
    assert config["connection_details"]["username"] == "cellar_admin"
    assert ADMIN_PASSWORD not in str(config)
    assert config["allowed_roles"] == ["readonly", "short", "failing"]

    db.secrets.database.rotate_root_credentials("app-db")
    assert psql(pg_port, "SELECT 1", "cellar_admin", ADMIN_PASSWORD)[0] is False
    # Only Cellar knows the new password, and it keeps working with it.
    creds = db.secrets.database.generate_credentials("readonly")["data"]
    assert psql(pg_port, "SELECT 1", creds["username"], creds["password"]) == (True, "1")


@pytest.mark.parametrize("call, message", [
    (lambda db: db.secrets.database.generate_credentials("nope"), "unknown role: nope"),
    (lambda db: (db.secrets.database.create_role(name="other", db_name="app-db",
                                                 creation_statements=CREATE_READONLY),
                 db.secrets.database.generate_credentials("other")),
     '"other" is not an allowed role'),
    (lambda db: db.secrets.database.configure(
        name="bad", plugin_name="mysql-database-plugin", connection_url="x"),
     "unsupported plugin_name"),
    (lambda db: db.secrets.database.configure(
        name="bad", plugin_name="postgresql-database-plugin",
        connection_url="postgresql://cellar_admin:wrong@127.0.0.1:1/postgres"),
     "error verifying connection"),
    (lambda db: db.secrets.database.create_role(name="x", db_name="app-db", creation_statements=[]),
     "creation_statements must be specified"),
])
def test_mistakes_are_clear_400s(db, call, message):
    with pytest.raises(hvac.exceptions.InvalidRequest) as err:
        call(db)
    assert message in str(err.value)


def test_failing_sql_leaves_no_user_behind(db, pg_port):
    db.secrets.database.create_role(
        name="failing", db_name="app-db", creation_statements=[
            """CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}';
               GRANT SELECT ON no_such_table TO "{{name}}";"""])
    with pytest.raises(hvac.exceptions.InvalidRequest) as err:
        db.secrets.database.generate_credentials("failing")
    assert "statement 2" in str(err.value) and "no_such_table" in str(err.value)
    count = psql(pg_port, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'v-root-failing-%'")
    assert count == (True, "0")


def execute_profile(db, text):
    name = f"p{int(time.time() * 1e6)}"
    headers = {"X-Vault-Token": db.token}
    resp = requests.put(f"{db.url}/v1/sys/profiles/modify/{name}", json={"profile": text},
                        headers=headers)
    assert resp.status_code == 204, resp.text
    return requests.post(f"{db.url}/v1/sys/profiles/execute/{name}", json={}, headers=headers)


@pytest.mark.parametrize("transaction", [False, True])
def test_a_profile_gathers_database_credentials_and_a_failed_one_drops_them(db, pg_port,
                                                                            transaction):
    db.secrets.kv.v2.create_or_update_secret("app/config", secret={"host": "db.internal"})
    gather = """
request "db"  { path = "database/creds/readonly" }
request "cfg" { path = "secret/data/app/config" }
output { data = { host = request.cfg.data.data.host, user = request.db.data.username,
                  password = request.db.data.password } }
"""
    got = execute_profile(db, gather).json()["data"]
    assert got["host"] == "db.internal"
    assert psql(pg_port, "SELECT id FROM orders", got["user"], got["password"]) == (True, "7")

    before = psql(pg_port, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'v-root-readonly-%'")
    failing = ("transaction = true\n" if transaction else "") + """
request "db"   { path = "database/creds/readonly" }
request "boom" {
  path       = "nosuchmount/x"
  depends_on = [request.db]
}
output { data = { user = request.db.data.username } }
"""
    resp = execute_profile(db, failing)
    assert resp.status_code == 404, resp.text
    # The user the failed execution created was revoked with its lease: dropped.
    after = psql(pg_port, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'v-root-readonly-%'")
    assert after == before


def test_a_password_with_url_characters_still_connects(db, pg_port):
    tricky = "p@ss:w/rd?#%'\\ x"
    sql_literal = tricky.replace("'", "''")
    assert psql(pg_port, f"DROP ROLE IF EXISTS tricky_admin; "
                         f"CREATE ROLE tricky_admin LOGIN SUPERUSER PASSWORD '{sql_literal}'")[0]
    for url in (f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{pg_port}/postgres",
                f"host=127.0.0.1 port={pg_port} dbname=postgres user={{{{username}}}} "
                "password={{password}}"):
        db.secrets.database.configure(name="tricky", plugin_name="postgresql-database-plugin",
                                      connection_url=url, username="tricky_admin",
                                      password=tricky, allowed_roles=["readonly"])
        db.secrets.database.create_role(name="readonly", db_name="tricky",
                                        creation_statements=CREATE_READONLY)
        creds = db.secrets.database.generate_credentials("readonly")["data"]
        assert psql(pg_port, "SELECT 1", creds["username"], creds["password"]) == (True, "1")
