"""A Chroma server for benchmarks and tests: `chroma run` on a free loopback port, telemetry off.

What it does: `chroma_server(path)` starts the `chroma` command of this environment on `path`,
waits for its heartbeat and yields its URL, then stops it; `chroma_heartbeat(url)` says whether a
server answers there.
What it does not: write or query collections (see `ingest.store`, `bench.reliability.scale`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from qa_ui.process import free_port, stop


def chroma_heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def chroma_server(path: Path, timeout: float = 30.0):
    """A `chroma run` server on a free loopback port, telemetry off; yields its URL."""
    command = Path(sys.executable).parent / "chroma"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [str(command if command.exists() else "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        deadline = time.monotonic() + timeout
        while not chroma_heartbeat(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Chroma server at {url} did not start")
            time.sleep(0.2)
        yield url
    finally:
        stop(process)
