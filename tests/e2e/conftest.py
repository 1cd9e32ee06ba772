# tests/e2e/conftest.py: starts real `cellar server` processes and hands tests hvac clients.
import os
import queue
import re
import signal
import subprocess
import threading
import time
import uuid

import hvac
import pytest
import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CELLAR_BIN = os.environ.get("CELLAR_BIN", os.path.join(REPO, "build", "cellar"))
START_TIMEOUT = 20


class Server:
    """One running `cellar server` process and what it printed at start-up."""

    def __init__(self, args, log_path, env=None):
        self.args = args
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [CELLAR_BIN, "server", *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        self.lines = queue.Queue()
        self.info = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self._wait_ready()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            self.lines.put(raw.decode("utf-8", "replace"))
        self.lines.put(None)

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise RuntimeError("cellar did not print its address in time")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.proc.wait()
                raise RuntimeError(f"cellar exited with {self.proc.returncode} before listening")
            key, sep, value = line.partition(":")
            if sep and key in ("Api Address", "Unseal Key", "Root Token"):
                self.info[key] = value.strip()
            if "Root Token" in self.info or (
                "Api Address" in self.info and "-dev" not in self.args
            ):
                return

    @property
    def addr(self):
        return self.info["Api Address"]

    @property
    def root_token(self):
        return self.info.get("Root Token")

    @property
    def unseal_key(self):
        return self.info.get("Unseal Key")

    def client(self, token=None):
        return hvac.Client(url=self.addr, token=token)

    def url(self, path):
        return self.addr + "/v1/" + path.lstrip("/")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def start_dev(tmp_path, *extra, token=None):
    token = token or "root-" + uuid.uuid4().hex[:12]
    args = ["-dev", "-dev-listen-address=127.0.0.1:0", f"-dev-root-token-id={token}", *extra]
    return Server(args, tmp_path / "cellar.log")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A dev server shared by the tests of one module."""
    srv = start_dev(tmp_path_factory.mktemp("dev"))
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(tmp_path):
    """A dev server for one test (for tests that seal it or change global state)."""
    srv = start_dev(tmp_path)
    yield srv
    srv.stop()


@pytest.fixture
def root(server):
    return server.client(server.root_token)


@pytest.fixture
def config_server(tmp_path):
    """Starts servers from an HCL config with SQLite storage in tmp_path; restartable."""
    started = []

    def start(extra_listener="", extra_top="", tls=None):
        db = tmp_path / "cellar.db"
        config = tmp_path / "cellar.hcl"
        if tls:
            tls_lines = f'  tls_cert_file = "{tls[0]}"\n  tls_key_file = "{tls[1]}"\n'
        else:
            tls_lines = "  tls_disable = true\n"
        config.write_text(
            f'storage "sqlite" {{\n  path = "{db}"\n}}\n'
            f'listener "tcp" {{\n  address = "127.0.0.1:0"\n{tls_lines}'
            f"{extra_listener}}}\n"
            f'disable_mlock = true\nui = false\nlog_level = "debug"\n{extra_top}'
        )
        srv = Server([f"-config={config}"], tmp_path / "cellar.log")
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """A private PostgreSQL server (initdb into a temp dir, random port) for one module."""
    state = tmp_path_factory.mktemp("postgres")
    script = f"{REPO}/scripts/test_postgres.sh"
    subprocess.run([script, "start", str(state)], check=True, capture_output=True)
    conninfo = (state / "conninfo").read_text().strip()
    port = re.search(r"port=(\d+)", conninfo).group(1)
    yield {"conninfo": conninfo, "url": f"postgres://postgres@127.0.0.1:{port}/postgres"}
    subprocess.run([script, "stop", str(state)], check=False, capture_output=True)


def unique(prefix="t"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def route_missing(resp):
    """True when the server has no handler for this route yet (its layer has not landed)."""
    if resp.status_code not in (404, 405):
        return False
    try:
        errors = " ".join(resp.json().get("errors", []))
    except ValueError:
        return False
    return "no handler for route" in errors or "unsupported path" in errors


def skip_unless_route(srv, method, path, token=None, json=None):
    """Skips the test while the route answers 'no handler' (the layer is still being built)."""
    resp = requests.request(
        method, srv.url(path), headers={"X-Vault-Token": token or srv.root_token}, json=json
    )
    if route_missing(resp):
        pytest.skip(f"{method} {path}: layer not landed yet ({resp.status_code} {resp.text})")
    return resp
