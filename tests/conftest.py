"""Shared fixtures: the corpus copied into a temp folder, one real embedder per session, a fake
embedder for pipeline logic, a switch that blocks every non-loopback network connection, and a
writer of small real PDF files.

Everything here stays offline: the Hugging Face switches are set before any model library loads.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import os
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from ingest.offline import ensure_offline  # noqa: E402

ensure_offline()

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OVERVIEW = "ketamine-substance-abuse-overview.txt"
EVIDENCE = "ketamine-sud-evidence-by-condition.txt"


# -- corpus and settings ---------------------------------------------------------------------------


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the project's corpus folder (the two ketamine documents)."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def index_settings(tmp_path: Path):
    """Settings with this test's own index folder (chunking at the project defaults)."""
    from ingest.settings import IngestSettings

    return IngestSettings(index=tmp_path / "idx", chunk_chars=600, chunk_overlap=1, embed_batch_size=64)


# -- embedders -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2 embedder, loaded once for the whole session (as `get_embedder()`)."""
    from ingest.embed import get_embedder

    return get_embedder()


class FakeEmbedder:
    """Deterministic unit vectors from a hash of the text: for pipeline logic, not for meaning."""

    name = "fake"
    dimension = 384

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dimension).astype(np.float32)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    @property
    def encoded(self) -> list[str]:
        return [text for call in self.calls for text in call]


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


# -- reading an index back -------------------------------------------------------------------------


def _snapshot(index_dir: Path, settings) -> dict:
    from ingest.pipeline import signature
    from ingest.store import IndexStore

    store = IndexStore(Path(index_dir), signature(settings), create=False)
    chunks = {chunk.id: chunk for chunk in store.all_chunks()}
    sources = sorted({chunk.source for chunk in chunks.values()})
    return {
        "chunks": chunks,
        "documents": {source: store.document(source) for source in sources},
        "manifest": json.loads((Path(index_dir) / "manifest.json").read_text()),
    }


@pytest.fixture
def snapshot():
    """`snapshot(index_dir, settings)` -> {"chunks": {id: StoredChunk}, "documents": {...}, "manifest": {...}}."""
    return _snapshot


# -- network ---------------------------------------------------------------------------------------


class NetworkBlocked(OSError):
    """A test tried to reach a non-loopback address."""


def _is_loopback_host(host) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, not a remote host
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host)
    if host.lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _is_loopback_address(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    return _is_loopback_host(address[0])


@contextlib.contextmanager
def block_network():
    """Within the block, any connection or name lookup to a non-loopback host raises `NetworkBlocked`.

    Yields the list of blocked attempts, so a test can also assert that none was even tried
    (libraries often swallow connection errors).
    """
    attempts: list[str] = []
    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo)
    real_connect, real_connect_ex, real_create_connection, real_getaddrinfo = saved

    def refuse(what: str):
        attempts.append(what)
        raise NetworkBlocked(f"network access blocked in tests: {what}")

    def connect(self, address):
        if not _is_loopback_address(address):
            refuse(f"connect {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not _is_loopback_address(address):
            refuse(f"connect_ex {address!r}")
        return real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        if not _is_loopback_address(address):
            refuse(f"create_connection {address!r}")
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback_host(host):
            refuse(f"getaddrinfo {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.create_connection, socket.getaddrinfo = create_connection, getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = saved


@pytest.fixture
def no_network():
    """Block non-loopback network for the test; yields the list of blocked attempts."""
    with block_network() as attempts:
        yield attempts


@pytest.fixture
def network_blocker():
    """The `block_network` context manager itself, to block only part of a test."""
    return block_network


# -- PDF -------------------------------------------------------------------------------------------


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def build_pdf(pages: list[list[str]]) -> bytes:
    """A small valid PDF: one page per item, each line of text drawn in Helvetica.

    A page with no lines gets a content stream that only draws a rectangle (a PDF with no text).
    """
    objects: list[bytes] = []
    page_count = len(pages)
    font_id = 3 + 2 * page_count
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(page_count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode())
    for index, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * index, 4 + 2 * index
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        if lines:
            ops = ["BT", "/F1 12 Tf", "72 720 Td", "16 TL"]
            for number, line in enumerate(lines):
                ops.append(f"{_pdf_string(line)} Tj" if number == 0 else f"T* {_pdf_string(line)} Tj")
            ops.append("ET")
        else:
            ops = ["0.5 g", "72 600 200 100 re", "f"]
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        assert page_id + 1 == content_id
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def make_pdf():
    """`make_pdf(path, [[line, ...], ...])` writes a real PDF with one list of lines per page."""

    def write(path: Path, pages: list[list[str]]) -> Path:
        path.write_bytes(build_pdf(pages))
        return path

    return write
