"""Vector-search latency as the index grows: embedded Chroma vs a Chroma server, 1k to 100k chunks.

What it does: takes the chunks of the 1,000 PubMedQA-L abstracts (read back, with their vectors,
from a cached index at /tmp/pqa/cache/labels-600-1/index when present, copied first so the cache is
never touched; otherwise the abstracts are ingested into a temporary index), and for each size
replicates them with distinct ids up to that many chunks. Replicas reuse the vectors plus a little
Gaussian noise (sigma 0.01 per dimension, then renormalised), so they are near, not exact,
duplicates and nothing is re-embedded. For each size and mode it writes a fresh store with the
project's own batched write (`IndexStore.add_chunks`), a fresh `chroma run` server for the server
mode, then times `--queries` PubMedQA questions (embedded once with the project's query path) at
k=20: the bare Chroma query (ids and distances) and the answering side's `LoadedIndex.dense()`
(which also fetches text and metadata), p50/p95 ms per query, and one `count()` of the collection
(`dense()` calls it twice); plus insert time, disk size and the time `LoadedIndex` takes to load
every chunk and build BM25. It writes the `scale` section of RELIABILITY.md (unless `--no-write`)
and prints it.
What it does not: measure answer quality or the reranker, embed the replicated chunks, or copy the
data set into the project.

Run: `python -m bench.reliability.scale [--sizes 1000 10000 100000] [--queries N] [--no-write]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.pubmedqa.corpus import DATA, write_abstracts
from bench.reliability.chroma_server import chroma_server
from bench.report import RELIABILITY, machine_line, write_section

CACHE = Path("/tmp/pqa/cache/labels-600-1/index")
K = 20
NOISE = 0.01
SEED = 0
COUNT_SAMPLES = 50
WARMUP = 5  # untimed queries first: the first ones load the HNSW index into memory
MODES = ("embedded", "server")


@dataclass
class Base:
    """The real chunks every size is replicated from."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    vectors: np.ndarray
    origin: str


@dataclass
class Result:
    size: int
    mode: str
    insert_s: float
    disk_mb: float
    search_ms: tuple[float, float]
    dense_ms: tuple[float, float]
    count_ms: float
    load_s: float


# -- the chunks and the queries --------------------------------------------------------------------


def read_chunks(index_dir: Path, origin: str) -> Base:
    """Ids, texts, metadatas and vectors of an index's chunk collection."""
    from ingest.store import CHUNKS, PAGE_SIZE, open_client

    collection = open_client(index_dir, None).get_collection(CHUNKS, embedding_function=None)
    ids, texts, metadatas, vectors = [], [], [], []
    for offset in range(0, collection.count(), PAGE_SIZE):
        page = collection.get(include=["documents", "metadatas", "embeddings"], limit=PAGE_SIZE, offset=offset)
        ids += page["ids"]
        texts += page["documents"]
        metadatas += page["metadatas"]
        vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
    return Base(ids, texts, metadatas, np.concatenate(vectors), origin)


def load_base(workdir: Path, records: dict) -> Base:
    """The PubMedQA chunks: from a copy of the cached index, or ingested here (embeds ~3.7k chunks)."""
    if (CACHE / "chroma").exists():
        copy = workdir / "cache-copy"
        shutil.copytree(CACHE, copy)  # another run may own the cache: read a copy
        return read_chunks(copy, f"the cached PubMedQA index ({CACHE})")
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    folder, index = workdir / "abstracts", workdir / "base-index"
    write_abstracts(records, folder)
    run_ingest([folder], IngestSettings(index=index), progress=False)
    return read_chunks(index, "the 1,000 abstracts ingested with the default chunking")


def query_vectors(records: dict, count: int) -> np.ndarray:
    """Vectors of the first `count` PubMedQA questions, as the answering side embeds a question."""
    from ingest.embed import get_embedder

    embedder = get_embedder()
    questions = [records[pmid]["QUESTION"] for pmid in sorted(records)][:count]
    return np.array([embedder.encode_query(question) for question in questions], dtype=np.float32)


def replicate(base: Base, size: int, rng: np.random.Generator) -> tuple[list[dict], np.ndarray]:
    """`size` chunk rows (as `IndexStore.add_chunks` takes them): the base chunks, then noisy copies."""
    n = len(base.ids)
    source, copy = np.arange(size) % n, np.arange(size) // n
    vectors = base.vectors[source].copy()
    noisy = copy > 0
    vectors[noisy] += rng.normal(0.0, NOISE, size=(int(noisy.sum()), vectors.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [
        {"id": base.ids[j] if c == 0 else f"{base.ids[j]}-copy{c}", "text": base.texts[j], "metadata": base.metadatas[j]}
        for j, c in zip(source.tolist(), copy.tolist())
    ]
    return rows, vectors


# -- the stores ------------------------------------------------------------------------------------


def disk_mb(path: Path) -> float:
    """Space the files under `path` take on disk (allocated blocks, so sparse files count as stored)."""
    total = sum(os.stat(Path(folder) / name).st_blocks * 512 for folder, _, names in os.walk(path) for name in names)
    return total / 2**20


def percentiles(samples: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples, 50)), float(np.percentile(samples, 95))


def time_each(run, vectors: np.ndarray) -> tuple[float, float]:
    """p50 and p95 milliseconds of `run(vector)` over the query vectors, after a few untimed ones."""
    for vector in vectors[:WARMUP]:
        run(vector)
    samples = []
    for vector in vectors:
        began = time.perf_counter()
        run(vector)
        samples.append((time.perf_counter() - began) * 1000)
    return percentiles(samples)


def measure(size: int, mode: str, rows: list[dict], vectors: np.ndarray, queries: np.ndarray, folder: Path, url: str | None) -> Result:
    """Write `rows` into a fresh store in `folder` (on the server at `url` if given) and time it."""
    from ingest.pipeline import signature
    from ingest.store import IndexStore
    from qa.search.index import LoadedIndex
    from qa.settings import Settings

    settings = Settings(index=folder / "index", chroma_url=url)
    store = IndexStore(settings.index, signature(settings), url, create=True)
    began = time.perf_counter()
    store.add_chunks(rows, vectors)
    insert_s = time.perf_counter() - began

    def search(vector):
        store.chunks.query(query_embeddings=[vector.tolist()], n_results=K, include=["distances"])

    search_ms = time_each(search, queries)
    count_ms = time_each(lambda _: store.count(), queries[:COUNT_SAMPLES])[0]
    began = time.perf_counter()
    loaded = LoadedIndex(settings)
    load_s = time.perf_counter() - began
    dense_ms = time_each(lambda vector: loaded.dense(vector, K), queries)
    return Result(size, mode, insert_s, disk_mb(folder), search_ms, dense_ms, count_ms, load_s)


def _close_clients() -> None:
    """Stop Chroma's cached clients, so a store's folder can be removed with nothing writing to it."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def run_size(size: int, base: Base, queries: np.ndarray, workdir: Path) -> list[Result]:
    rows, vectors = replicate(base, size, np.random.default_rng(SEED))
    results = []
    for mode in MODES:
        folder = workdir / f"{mode}-{size}"
        if mode == "server":
            with chroma_server(folder / "db") as url:
                results.append(measure(size, mode, rows, vectors, queries, folder, url))
        else:
            results.append(measure(size, mode, rows, vectors, queries, folder, None))
        _close_clients()
        shutil.rmtree(folder, ignore_errors=True)  # 100k chunks take a few hundred MB per store
        print(_row(results[-1]), file=sys.stderr, flush=True)
    return results


# -- the report ------------------------------------------------------------------------------------


def _row(r: Result) -> str:
    return (
        f"| {r.size:,} | {r.mode} | {r.insert_s:.1f} | {r.disk_mb:.0f} | {r.search_ms[0]:.1f} | {r.search_ms[1]:.1f} "
        f"| {r.dense_ms[0]:.1f} | {r.dense_ms[1]:.1f} | {r.count_ms:.1f} | {r.load_s:.1f} |"
    )


def growth_sentence(results: list[Result]) -> str:
    """How the median search and dense() times grew from the smallest to the largest size, per mode."""
    parts = []
    for mode in MODES:
        mine = sorted((r for r in results if r.mode == mode), key=lambda r: r.size)
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        parts.append(
            f"{mode}: search p50 {small.search_ms[0]:.1f} → {large.search_ms[0]:.1f} ms, "
            f"`dense()` p50 {small.dense_ms[0]:.1f} → {large.dense_ms[0]:.1f} ms, "
            f"insert {small.insert_s:.1f} → {large.insert_s:.1f} s"
        )
    if not parts:
        return ""
    sizes = sorted({r.size for r in results})
    factor = sizes[-1] / sizes[0]
    return f"From {sizes[0]:,} to {sizes[-1]:,} chunks ({factor:.0f}× more): " + "; ".join(parts) + "."


def render(results: list[Result], base: Base, queries: int) -> str:
    lines = [
        "## Scale: vector search, embedded Chroma vs a Chroma server",
        "",
        (f"`python -m bench.reliability.scale` — {machine_line()}. Chunks: {len(base.ids):,} PubMedQA-L abstract chunks "
        f"from {base.origin}, replicated with distinct ids up to each size; replicas reuse the vectors plus "
        f"Gaussian noise (sigma {NOISE}, renormalised), nothing is re-embedded. Each size and mode is a fresh "
        f"store written with `IndexStore.add_chunks` (batches of 2,000); the server is a local `chroma run` "
        f"on 127.0.0.1. {queries} PubMedQA questions, k={K}, after {WARMUP} untimed queries. *search* is the "
        "bare Chroma query (ids and distances); *dense()* is `LoadedIndex.dense()`, what answering calls "
        "(text and metadata too); *count()* is the median of one `count()` of the collection, which "
        "`IndexStore.query` no longer calls per query; *load* is `LoadedIndex` reading every chunk and building BM25, once per "
        "process and after each re-ingest."),
        "",
        "| chunks | store | insert s | disk MB | search p50 ms | search p95 ms | dense() p50 ms | dense() p95 ms | count() ms | load s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(r) for r in results),
        "",
        growth_sentence(results),
    ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], help="chunk counts")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per size and store")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RELIABILITY.md alone")
    args = parser.parse_args(argv)

    records = json.loads(DATA.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="quoteqa-scale-") as tmp:
        workdir = Path(tmp)
        base = load_base(workdir, records)
        queries = query_vectors(records, args.queries)
        results = [result for size in args.sizes for result in run_size(size, base, queries, workdir)]
    text = render(results, base, len(queries))
    if not args.no_write:
        write_section("scale", text, path=RELIABILITY)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
