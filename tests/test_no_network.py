"""No network at run time: `python -m ingest`, `python -m qa` and the chat app, each in a fresh
process whose every non-loopback connection and name lookup is refused (a `sitecustomize` that
patches the socket module before anything else loads) and logged. All three must work, and the
log must stay empty: no hub look-up, no telemetry, no analytics, no font download."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from qa_ui.process import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SITECUSTOMIZE = '''
import os, socket
LOG = os.environ["QUOTEQA_TEST_NETWORK_LOG"]
LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")
def _loopback(host):
    return host is None or isinstance(host, str) and (host.startswith(LOOPBACK) or host == "")
def _refuse(what):
    with open(LOG, "a") as log:
        log.write(what + "\\n")
    raise OSError("network blocked: " + what)
_connect, _getaddrinfo, _create = socket.socket.connect, socket.getaddrinfo, socket.create_connection
def connect(self, address):
    if isinstance(address, tuple) and not _loopback(address[0]):
        _refuse("connect %r" % (address,))
    return _connect(self, address)
def getaddrinfo(host, *args, **kwargs):
    if not _loopback(host):
        _refuse("getaddrinfo %r" % (host,))
    return _getaddrinfo(host, *args, **kwargs)
def create_connection(address, *args, **kwargs):
    if not _loopback(address[0]):
        _refuse("create_connection %r" % (address,))
    return _create(address, *args, **kwargs)
socket.socket.connect, socket.getaddrinfo, socket.create_connection = connect, getaddrinfo, create_connection
'''


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("offline")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = folder / "network.log"
    log.write_text("", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=f"{folder}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
               QUOTEQA_TEST_NETWORK_LOG=str(log), QUOTEQA_INDEX=str(folder / "idx"), HF_HUB_OFFLINE="1")
    return env, log, folder


def run(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_ingest_ask_and_the_app_work_with_the_network_refused(offline_env):
    env, log, folder = offline_env
    blocked = run(env, "-c", "import socket; socket.create_connection(('example.com', 80), timeout=2)")
    assert blocked.returncode != 0 and "network blocked" in blocked.stderr  # the blocker works
    log.write_text("", encoding="utf-8")

    ingest = run(env, "-m", "ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr[-800:]
    assert json.loads(ingest.stdout)["files"] == 2

    answer = run(env, "-m", "qa", "--json", "What dose of ketamine was used in the alcohol trial?")
    assert answer.returncode == 0, answer.stderr[-800:]
    assert "0.8 mg/kg over 40 minutes" in json.loads(answer.stdout)["answer"]

    port = free_port()
    app = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        page = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and app.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8", "replace")
                break
            except OSError:
                time.sleep(0.5)
        assert page and "quoteqa" in page.lower(), (app.poll(), app.stderr.read()[-800:] if app.poll() is not None else "")
        from gradio_client import Client

        result = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
            "What did the cocaine trial find?", "[]", api_name="/ask"
        )
        assert "Dakwar" in json.dumps(result)
    finally:
        app.terminate()
        app.wait(timeout=30)
    assert log.read_text(encoding="utf-8") == ""  # nothing even tried to leave the machine
