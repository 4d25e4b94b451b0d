"""Bring the index in line with a set of files: add new ones, replace changed ones, drop removed ones.

What it does: finds the files under the given paths, skips unchanged ones by content hash (no
re-embedding), loads, splits and chunks the rest, embeds their chunks in large batches (the encoder
is the cost; everything else is kept out of its way) and stores them. The manifest is saved only
after a file's chunks are stored, and a run that dies half-way leaves `dirty` set so the next run
sweeps chunks no file owns. A file that cannot be read is reported in `skipped` and, if an earlier
version is indexed, that version is kept.
What it does not: parse formats (see `load`) or print anything but a progress bar (see `__main__`).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.chunk import Chunk, chunk_sentences
from ingest.embed import EMBEDDER_NAME, Embedder, get_embedder
from ingest.load import MIB, Document, SkipFile, file_hash, load_document
from ingest.manifest import FileEntry, Manifest
from ingest.progress import CallbackBar, ProgressCallback, bar as _bar, progress as _progress
from ingest.references import cited_numbers, parse_references
from ingest.sentences import split_sentences
from ingest.settings import IngestSettings
from ingest.store import IndexMismatch, IndexStore, chunk_id, delete_index

TEXT_RULES_VERSION = 1  # bump when cleaning, splitting or chunking rules change stored text
# Chunks embedded and stored between manifest checkpoints. The encoder sorts texts by length to
# pad less, but only within one group: groups of 512 cost 12% more padded tokens than one call on
# the PubMedQA benchmark, groups of 2048 cost 2% (see BENCHMARKS.md).
EMBED_GROUP_CHUNKS = 2048
ENCODE_SLICE_BATCHES = 4  # batches per encoder call inside a group: the progress bar moves this often


@dataclass
class IngestReport:
    """What a run did; `to_dict()` is the `--json` output."""

    files: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        line = (
            f"{self.files} files, {self.chunks} chunks in the index: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged, {len(self.skipped)} skipped ({self.seconds:.1f} s)"
        )
        return line + "".join(f"\n  skipped {item['path']}: {item['reason']}" for item in self.skipped)


@dataclass
class _Prepared:
    document: Document
    chunks: list[Chunk]
    root: str
    is_update: bool


def signature(settings: IngestSettings) -> dict:
    """Everything that changes the vectors or the stored text; the index must match it."""
    return {
        "embedder": EMBEDDER_NAME,
        "chunk_chars": settings.chunk_chars,
        "chunk_overlap": settings.chunk_overlap,
        "text_rules": TEXT_RULES_VERSION,
    }


def collect_files(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """(file, corpus root) pairs under `paths`, and the folders that were scanned whole.

    Raises FileNotFoundError for a path that does not exist. Hidden files and folders are ignored.
    """
    found: dict[Path, Path] = {}  # file -> root; a file named twice (`corpus corpus/a.txt`) counts once
    folders: list[Path] = []
    for path in paths:
        path = Path(path).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {path}")
        path = path.resolve()
        if path.is_dir():
            folders.append(path)
            for file in sorted(path.rglob("*")):
                relative = file.relative_to(path)
                if file.is_file() and not any(part.startswith(".") for part in relative.parts):
                    found.setdefault(file, path)
        else:
            found.setdefault(path, path.parent)
    return list(found.items()), folders


def run_ingest(
    paths: list[Path],
    settings: IngestSettings | None = None,
    rebuild: bool = False,
    progress: bool = True,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest `paths`; `progress` shows tqdm bars on stderr, `on_progress` is told the same steps."""
    settings = settings or IngestSettings()
    began = time.perf_counter()
    files, folders = collect_files(paths)
    index_dir = Path(settings.index)
    if rebuild:
        delete_index(index_dir, settings.chroma_url)
    manifest = Manifest.load(index_dir)
    store = IndexStore(index_dir, signature(settings), settings.chroma_url, create=True)
    if manifest.signature and manifest.signature != store.signature:
        raise IndexMismatch(
            f"the manifest in {index_dir} was written with other settings; run `python -m ingest --rebuild`"
        )
    if manifest.dirty:  # an earlier run died: drop chunks that no manifest entry owns
        store.delete_sources(sorted(store.chunk_sources() - set(manifest.files)))
    manifest.signature, manifest.dirty = store.signature, True
    manifest.save(index_dir)

    report = IngestReport()
    prepared: list[_Prepared] = []
    seen: set[str] = set()
    max_bytes = int(settings.max_file_mb * MIB)
    for done, (path, root) in enumerate(_progress(files, progress, "Reading", "file")):
        if on_progress is not None:
            on_progress("Reading", done, len(files))
        source = path.relative_to(root).as_posix()
        if source in seen:  # two files, one name (`a/x.txt b/x.txt`): the first one wins
            report.skipped.append({"path": str(path), "reason": f"another file named '{source}' is ingested in this run"})
            continue
        seen.add(source)
        entry = manifest.files.get(source)
        try:
            if entry and entry.content_hash == file_hash(path.read_bytes()):
                report.unchanged += 1
                continue
            document = load_document(path, root, max_bytes)
        except (SkipFile, OSError) as error:
            reason = str(error) if isinstance(error, SkipFile) else f"cannot read the file: {error.strerror or error}"
            if entry:
                reason += "; the previously indexed version is kept"
            report.skipped.append({"path": str(path), "reason": reason})
            continue
        chunks = chunk_sentences(split_sentences(document.text), settings.chunk_chars, settings.chunk_overlap)
        prepared.append(_Prepared(document, chunks, str(root), is_update=entry is not None))

    if prepared:
        _embed_and_store(prepared, store, manifest, settings, embedder, progress, report, on_progress)

    scanned = {str(folder) for folder in folders}
    gone = [source for source, entry in manifest.files.items() if entry.root in scanned and source not in seen]
    store.delete_sources(gone)
    for source in gone:
        del manifest.files[source]
    report.removed = len(gone)
    manifest.dirty = False
    manifest.save(index_dir)
    report.files = report.added + report.updated + report.unchanged
    report.chunks = store.count()
    report.seconds = round(time.perf_counter() - began, 3)
    return report


def _embed_and_store(prepared, store, manifest, settings, embedder, progress, report, on_progress=None) -> None:
    embedder = embedder or get_embedder()
    total = sum(len(item.chunks) for item in prepared)
    bar = _bar(total, progress, "Embedding", "chunk")
    if on_progress is not None:
        bar = CallbackBar(total, "Embedding", on_progress, bar)
    group: list[_Prepared] = []
    group_chunks = settings.embed_group_chunks or EMBED_GROUP_CHUNKS
    for index, item in enumerate(prepared):
        group.append(item)
        if sum(len(g.chunks) for g in group) >= group_chunks or index == len(prepared) - 1:
            rows = [row for g in group for row in _chunk_rows(g)]
            vectors = _encode(embedder, [row["text"] for row in rows], settings.embed_batch_size, bar)
            # Out of the manifest while their chunks are replaced: if the run dies here, the next run
            # sweeps what was half-written and re-ingests them, even if a file is back to its old hash.
            for g in group:
                manifest.files.pop(g.document.source, None)
            manifest.save(store.index_dir)
            # One write per step for the whole group: every Chroma write is a commit, costly per call.
            store.delete_sources([g.document.source for g in group])
            store.add_chunks(rows, vectors)
            store.put_documents(
                [
                    (
                        g.document.source, g.document.title, g.document.text, g.document.content_hash,
                        {n: ref.to_dict() for n, ref in parse_references(g.document.text).items()},
                        g.document.page_starts,
                    )
                    for g in group
                ]
            )
            stored_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            for g in group:
                doc = g.document
                manifest.files[doc.source] = FileEntry(doc.content_hash, g.root, len(g.chunks), doc.title, stored_at)
                if g.is_update:
                    report.updated += 1
                else:
                    report.added += 1
            manifest.save(store.index_dir)
            group = []
            if on_progress is not None:
                on_progress("Storing", index + 1, len(prepared))
    if bar is not None:
        bar.close()


def _encode(embedder, texts: list[str], batch_size: int, bar):
    """Vectors for `texts` in their order, encoded longest first in slices of a few batches.

    The same length order the encoder would use in one call (so the same padding), with the
    progress bar updated after every slice.
    """
    import numpy as np

    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    step = batch_size * ENCODE_SLICE_BATCHES
    vectors = None
    for begin in range(0, len(order), step):
        part = order[begin : begin + step]
        encoded = embedder.encode([texts[i] for i in part], batch_size=batch_size)
        if vectors is None:
            vectors = np.zeros((len(texts), encoded.shape[1]), dtype=encoded.dtype)
        vectors[part] = encoded
        if bar is not None:
            bar.update(len(part))
    return vectors


def _chunk_rows(item: _Prepared) -> list[dict]:
    doc = item.document
    rows = []
    for chunk in item.chunks:
        text = chunk.text_in(doc.text)
        page = doc.page_at(chunk.start)
        rows.append(
            {
                "id": chunk_id(doc.source, chunk.start, chunk.end, text),
                "text": text,
                "metadata": {
                    "source": doc.source,
                    "title": doc.title,
                    "start": chunk.start,
                    "end": chunk.end,
                    "sentences": json.dumps([[s.start, s.end, s.kind] for s in chunk.sentences]),
                    "references": json.dumps(_cited(chunk, doc.text)),
                    "page": page if page is not None else -1,
                },
            }
        )
    return rows


def _cited(chunk: Chunk, text: str) -> list[int]:
    """Reference numbers cited by the chunk's sentences (a bibliography line cites nothing)."""
    numbers: list[int] = []
    for sentence in chunk.sentences:
        numbers.extend(n for n in cited_numbers(sentence.text_in(text)) if n not in numbers)
    return numbers
