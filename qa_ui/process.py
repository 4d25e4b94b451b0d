"""Run `python app.py` in a child process on a free loopback port, for tests and benchmarks.

What it does: `running_app()` starts the app exactly as a user would (same script, same warm-up),
waits for its "quoteqa is ready: URL" line, yields the URL and stops the child afterwards.
`shared_app()` is one such app per process, so the test modules start it once; it works on a
private copy of the corpus folder and its own index, so tests that upload or remove documents never
touch the project's `corpus/` or `.index/`.
`stop(process)` ends a child process politely, then firmly.
What it does not: talk to the app (tests use gradio_client or a browser for that).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = "quoteqa is ready: "


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict[str, str] | None = None, timeout: float = 180.0) -> Iterator[str]:
    """Yield the URL of a freshly started app; its output is echoed to stderr if it fails to start."""
    port = free_port()
    child_env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    child_env.update(env or {})
    child = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        for line in child.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    url = None
    try:
        while url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise RuntimeError(f"app.py did not start (exit {child.poll()}):\n{''.join(output)[-4000:]}")
            if line.startswith(READY):
                url = line[len(READY):].split()[0]
        yield url
    finally:
        stop(child)


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a child process: ask it to end, and kill it if it has not within `grace` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def index_env(scratch: Path) -> dict[str, str]:
    """Environment for an app with an index: the configured one if built, else one built in `scratch`.

    A fresh clone has no index yet; tests and benchmarks then build one from `corpus/`.
    """
    configured = Path(os.environ.get("QUOTEQA_INDEX", ROOT / ".index"))
    if not configured.is_absolute():
        configured = ROOT / configured
    if (configured / "manifest.json").exists():
        return {"QUOTEQA_INDEX": str(configured)}
    target = Path(scratch) / "index"
    subprocess.run(
        [sys.executable, "-m", "ingest", str(ROOT / "corpus"), "--index", str(target)],
        cwd=ROOT, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
    return {"QUOTEQA_INDEX": str(target)}


def private_corpus_env(scratch: Path) -> dict[str, str]:
    """Environment for an app on a copy of `corpus/` in `scratch`, with an index built from that copy."""
    corpus, index = Path(scratch) / "corpus", Path(scratch) / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus), "--index", str(index), "--quiet"],
        cwd=ROOT, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
    return {"QUOTEQA_INDEX": str(index), "QUOTEQA_CORPUS": str(corpus)}


_SHARED: dict[str, str] = {}


def shared_app() -> str:
    """The URL of one app for the whole process (started on first use, stopped at exit).

    Its corpus folder and index are in `shared_app_env()`.
    """
    if "url" not in _SHARED:
        stack = contextlib.ExitStack()
        try:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="quoteqa-app-"))
            env = private_corpus_env(Path(scratch))
            _SHARED["url"] = stack.enter_context(running_app(env=env))
            _SHARED.update(env)
        except BaseException:
            stack.close()
            raise
        atexit.register(stack.close)
    return _SHARED["url"]


def shared_app_env() -> dict[str, str]:
    """`QUOTEQA_INDEX` and `QUOTEQA_CORPUS` of the shared app (started if need be)."""
    shared_app()
    return {key: _SHARED[key] for key in ("QUOTEQA_INDEX", "QUOTEQA_CORPUS")}
