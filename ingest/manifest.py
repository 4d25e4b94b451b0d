"""The manifest: which files are in the index, with their content hashes.

What it does: reads and atomically writes `manifest.json` in the index folder. A file appears in
the manifest only after all its chunks are stored, so after a crash the manifest under-reports and
the next run re-ingests what was half-done. `dirty` is set while a run is under way, so the next
run knows to sweep chunks that no manifest entry owns.
What it does not: talk to Chroma or read the corpus.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


class ManifestError(RuntimeError):
    """The manifest cannot be trusted; the message says to rebuild."""


@dataclass
class FileEntry:
    content_hash: str
    root: str  # absolute corpus folder the file was found under
    chunks: int
    title: str = ""
    indexed_at: str = ""  # UTC time this version was stored (ISO 8601); empty in older manifests


@dataclass
class Manifest:
    signature: dict = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def load(cls, index_dir: Path) -> "Manifest":
        path = index_dir / MANIFEST_NAME
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != MANIFEST_VERSION:
                raise ValueError(f"version {raw.get('version')!r}")
            files = {source: FileEntry(**entry) for source, entry in raw["files"].items()}
            return cls(signature=dict(raw["signature"]), files=files, dirty=bool(raw.get("dirty", False)))
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise ManifestError(
                f"the index manifest {path} is unreadable ({type(error).__name__}: {error}); "
                "run `python -m ingest --rebuild` to rebuild the index"
            ) from None

    def save(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": MANIFEST_VERSION,
            "signature": self.signature,
            "dirty": self.dirty,
            "files": {source: vars(entry) for source, entry in sorted(self.files.items())},
        }
        handle, temporary = tempfile.mkstemp(dir=index_dir, prefix=".manifest-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, index_dir / MANIFEST_NAME)
