"""Add, list and remove documents of the corpus folder, keeping the index in step with it.

What it does: `add_files` copies files (uploads) into the corpus folder under their own names,
checks each one first, so a file the ingest would skip (binary, empty, not UTF-8, a PDF without
text, too large, an unsupported type) is reported and never kept, then ingests only those files.
A name already taken is given a free one (`notes-2.md`) unless `replace=True` is asked for; a
file is never overwritten silently, and a replacement that fails restores the old file.
`remove_document` deletes a document's chunks and its file; `list_documents` lists what is
indexed. Writers are serialised: one lock per index folder in this process, and a file lock
across processes. Readers are not blocked: the manifest stays `dirty` while chunks change, and
`qa.search.index` keeps serving the last complete index until the write is done.
Each returns the same summary as `python -m ingest --json` (plus `renamed` for uploads).
What it does not: parse formats (see `load`), embed or store chunks (see `pipeline`), or render.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ingest.load import MIB, SUPPORTED_SUFFIXES, SkipFile, load_document
from ingest.manifest import Manifest
from ingest.pipeline import IngestReport, run_ingest, signature
from ingest.progress import ProgressCallback
from ingest.settings import IngestSettings
from ingest.store import IndexStore

LOCK_NAME = ".write.lock"
# Chunks per encoder call during an upload: the embedder answers questions too, and holds its lock
# for one call, so small calls let other sessions' questions in between (see bench/reliability/upload.py).
UPLOAD_EMBED_BATCH = 8
_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class CorpusError(ValueError):
    """A request the corpus cannot carry out (unknown document, bad name); the message says why."""


@contextlib.contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Hold the write lock of an index: threads of this process, then other processes, wait their turn."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock, open(index_dir / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def safe_name(name: str) -> str:
    """The file name an upload is stored under: its last path part, no control or path characters,
    not hidden. Raises CorpusError when nothing usable is left."""
    base = re.split(r"[/\\]", str(name))[-1]
    cleaned = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    if not cleaned or not Path(cleaned).stem:
        raise CorpusError(f"'{name}' is not a usable file name")
    return cleaned[:200]


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`, ... : the first not in `taken` (compared case-insensitively)."""
    lowered = {t.lower() for t in taken}
    if name.lower() not in lowered:
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while f"{stem}-{number}{suffix}".lower() in lowered:
        number += 1
    return f"{stem}-{number}{suffix}"


def list_documents(settings: IngestSettings | None = None) -> list[dict]:
    """Every indexed document: `source`, `title`, `chunks`, `indexed_at` (UTC, ISO 8601, or "")."""
    settings = settings or IngestSettings()
    manifest = Manifest.load(Path(settings.index))
    return [
        {"source": source, "title": entry.title or source, "chunks": entry.chunks, "indexed_at": entry.indexed_at}
        for source, entry in sorted(manifest.files.items(), key=lambda item: item[0].lower())
    ]


def add_files(
    files: list[Path | str],
    settings: IngestSettings | None = None,
    replace: bool = False,
    on_progress: ProgressCallback | None = None,
    embedder=None,
    embed_batch_size: int = UPLOAD_EMBED_BATCH,
) -> dict:
    """Copy `files` into the corpus folder and ingest them; returns the ingest summary.

    `skipped` lists every file not kept, by its uploaded name, with the reason; `renamed` lists
    `{"from", "to"}` for names that were taken. A file identical to the one of the same name in
    the corpus is not copied again (it counts as unchanged). Nothing already indexed is lost.
    """
    settings = settings or IngestSettings()
    began = time.perf_counter()
    corpus, index_dir = Path(settings.corpus), Path(settings.index)
    corpus.mkdir(parents=True, exist_ok=True)
    max_bytes = int(settings.max_file_mb * MIB)
    skipped: list[dict] = []
    renamed: list[dict] = []
    with writing(index_dir):
        indexed = set(Manifest.load(index_dir).files)
        taken = indexed | {p.name for p in corpus.iterdir()}
        placed: list[tuple[Path, Path | None]] = []  # (file in the corpus, backup of what it replaced)
        same: list[Path] = []  # uploads identical to the corpus file of that name: ingested in place
        try:
            for upload in files:
                upload = Path(upload)
                try:
                    name = safe_name(upload.name)
                    if upload.suffix.lower() not in SUPPORTED_SUFFIXES:
                        raise SkipFile(f"unsupported file type '{upload.suffix or upload.name}' (supported: .txt .md .html .pdf)")
                    load_document(upload, upload.parent, max_bytes)  # the same checks the ingest makes
                except (CorpusError, SkipFile) as error:
                    skipped.append({"path": upload.name, "reason": str(error)})
                    continue
                except OSError as error:
                    skipped.append({"path": upload.name, "reason": f"cannot read the file: {error.strerror or error}"})
                    continue
                existing = corpus / name
                if existing.is_file() and existing.read_bytes() == upload.read_bytes():
                    same.append(existing)
                    continue
                target_name = name
                if name.lower() in {t.lower() for t in taken} and not (replace and (corpus / name).is_file()):
                    target_name = free_name(name, taken)
                    renamed.append({"from": name, "to": target_name})
                if replace and any(p.name == target_name for p, _ in placed):
                    target_name = free_name(name, taken)  # twice in one upload: the second is renamed
                    renamed.append({"from": name, "to": target_name})
                taken.add(target_name)
                placed.append(_place(upload, corpus / target_name))
            to_ingest = [path for path, _ in placed] + same
            run_settings = settings.model_copy(update={"embed_batch_size": embed_batch_size})
            report = run_ingest(to_ingest, run_settings, progress=False, embedder=embedder, on_progress=on_progress) if to_ingest else None
        except BaseException:
            for path, backup in placed:
                _undo(path, backup)
            raise
        for item in (report.skipped if report else []):  # a file that changed between check and ingest
            path = Path(item["path"])
            for placed_path, backup in placed:
                if placed_path == path:
                    _undo(placed_path, backup)
            skipped.append({"path": path.name, "reason": item["reason"]})
        for path, backup in placed:
            if backup is not None and backup.exists():
                backup.unlink()
    result = (report or _totals(settings)).to_dict()
    result["files"] = len(Manifest.load(index_dir).files)  # in the index, not only in this upload
    result["skipped"] = skipped
    result["renamed"] = renamed
    result["seconds"] = round(time.perf_counter() - began, 3)
    return result


def remove_document(source: str, settings: IngestSettings | None = None) -> dict:
    """Delete the chunks of `source` and its file in the corpus folder; returns the ingest summary.

    Raises CorpusError when `source` is not indexed or its file lies outside the corpus folder.
    """
    settings = settings or IngestSettings()
    began = time.perf_counter()
    index_dir, corpus = Path(settings.index), Path(settings.corpus).resolve()
    with writing(index_dir):
        manifest = Manifest.load(index_dir)
        entry = manifest.files.get(source)
        if entry is None:
            raise CorpusError(f"'{source}' is not in the index")
        if len(manifest.files) == 1:
            raise CorpusError(f"'{source}' is the last document, and answering needs at least one: add another first")
        path = (Path(entry.root) / source).resolve()
        if not path.is_relative_to(corpus):
            raise CorpusError(
                f"'{source}' was indexed from {entry.root}, not from the corpus folder {corpus}; "
                "delete it there and run `python -m ingest`"
            )
        store = IndexStore(index_dir, signature(settings), settings.chroma_url, create=False)
        # Out of the manifest first: if this dies half-way, the next ingest re-adds the file whole.
        del manifest.files[source]
        manifest.dirty = True
        manifest.save(index_dir)
        store.delete_sources([source])
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        manifest.dirty = False
        manifest.save(index_dir)
        report = IngestReport(files=len(manifest.files), chunks=store.count(), removed=1)
    report.seconds = round(time.perf_counter() - began, 3)
    return report.to_dict()


def _place(upload: Path, target: Path) -> tuple[Path, Path | None]:
    """Copy `upload` to `target` atomically; an existing `target` is first moved to a hidden backup."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    os.close(handle)
    shutil.copyfile(upload, temporary)
    backup = None
    if target.exists():
        backup = target.with_name(f".replaced-{target.name}")
        os.replace(target, backup)
    os.replace(temporary, target)
    return target, backup


def _undo(path: Path, backup: Path | None) -> None:
    """Take a placed file back out of the corpus, restoring what it replaced."""
    if backup is not None and backup.exists():
        os.replace(backup, path)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _totals(settings: IngestSettings) -> IngestReport:
    """The summary of an upload that kept nothing: the index as it stands."""
    manifest = Manifest.load(Path(settings.index))
    return IngestReport(files=len(manifest.files), chunks=sum(entry.chunks for entry in manifest.files.values()))
