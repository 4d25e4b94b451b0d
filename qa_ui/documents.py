"""Turn the corpus-folder operations' results into the HTML the documents panel shows.

What it does: pure functions from data to escaped HTML: the table of indexed documents (title,
file name, chunks, when indexed, with Open and, when allowed, Remove buttons carrying the source
in `data-source`), the one-line summary of an upload or a removal, the confirmation question
before a removal, and a whole document for reading (the same view the citations open, unmarked).
What it does not: change the corpus (see `ingest.corpus`) or know about Gradio (see `qa_ui.library`).
"""

from __future__ import annotations

from html import escape

from qa_ui import render


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _when(indexed_at: str) -> str:
    """`2026-11-27T10:05:41Z` -> `2026-11-27 10:05 UTC`; unknown for indexes built before times were kept."""
    if not indexed_at or "T" not in indexed_at:
        return "unknown"
    day, time = indexed_at.rstrip("Z").split("T", 1)
    return f"{day} {time[:5]} UTC"


def documents_html(documents: list[dict], allow_remove: bool) -> str:
    """The indexed documents as a table; each row has Open (and Remove when `allow_remove`)."""
    if not documents:
        return '<div class="qa-doclist qa-doc-empty">No documents are indexed.</div>'
    rows = []
    for doc in documents:
        source = _attr(doc["source"])
        remove = (
            f'<button class="qa-doc-remove" data-action="remove" data-source="{source}" title="Remove this document">Remove</button>'
            if allow_remove else ""
        )
        rows.append(
            f'<tr data-source="{source}"><td class="qa-doc-t">{render.text_html(doc.get("title") or doc["source"])}</td>'
            f'<td class="qa-doc-f">{render.text_html(doc["source"])}</td><td class="qa-doc-c">{int(doc.get("chunks", 0))}</td>'
            f'<td class="qa-doc-w">{render.text_html(_when(doc.get("indexed_at", "")))}</td>'
            f'<td class="qa-doc-a"><button class="qa-doc-open" data-action="open" data-source="{source}" '
            f'title="Read this document">Open</button>{remove}</td></tr>'
        )
    count = f"{len(documents)} document{'s' if len(documents) != 1 else ''}"
    return (
        f'<div class="qa-doclist"><div class="qa-heading">{count} in the index</div><table>'
        "<thead><tr><th>Title</th><th>File</th><th>Chunks</th><th>Added</th><th></th></tr></thead>"
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def summary_html(result: dict) -> str:
    """One line for an upload's summary (the `ingest --json` dict plus `renamed`), then the reasons of skips."""
    parts = [f"{result.get('added', 0)} added", f"{result.get('updated', 0)} updated"]
    if result.get("unchanged"):
        parts.append(f"{result['unchanged']} unchanged")
    if result.get("removed"):
        parts.append(f"{result['removed']} removed")
    parts.append(f"{len(result.get('skipped') or [])} skipped")
    line = ", ".join(parts)
    line += f" — {_plural(int(result.get('files', 0)), 'document')}, {_plural(int(result.get('chunks', 0)), 'chunk')} in the index"
    line += f" ({float(result.get('seconds', 0.0)):.1f} s)."
    details = [
        f"<li>skipped {render.text_html(item['path'])}: {render.text_html(item['reason'])}</li>" for item in result.get("skipped") or []
    ] + [
        f"<li>renamed {render.text_html(item['from'])} → {render.text_html(item['to'])} (the name was taken)</li>"
        for item in result.get("renamed") or []
    ]
    listing = f'<ul>{"".join(details)}</ul>' if details else ""
    return f'<div class="qa-summary">{render.text_html(line)}{listing}</div>'


def removed_html(source: str, result: dict) -> str:
    """One line after a removal."""
    line = (
        f"Removed {source}: {_plural(int(result.get('files', 0)), 'document')}, "
        f"{_plural(int(result.get('chunks', 0)), 'chunk')} in the index."
    )
    return f'<div class="qa-summary">{render.text_html(line)}</div>'


def problem_html(message: str) -> str:
    """A request that could not be carried out, said plainly."""
    return f'<div class="qa-summary qa-error">{render.text_html(message)}</div>'


def confirm_text(document: dict | None, source: str) -> str:
    """The question asked before a removal (Markdown-free plain text)."""
    title = (document or {}).get("title") or source
    return f"Remove “{title}” ({source})? Its chunks leave the index and its file is deleted from the corpus folder."


def document_view(document: dict | None, source: str) -> str:
    """The whole stored document for reading, in the panel the citations use, nothing marked."""
    return render.document_html(document, {"source": source, "start": 0, "end": 0})


CSS = """
.qa-doclist table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
.qa-doclist th { text-align: left; font-weight: 600; color: var(--body-text-color-subdued); }
.qa-doclist table, .qa-doclist td, .qa-doclist th { border: none !important; }
.qa-doclist td, .qa-doclist th { padding: 4px 6px; vertical-align: top; }
.qa-doclist tr { border-bottom: 1px solid var(--border-color-primary); }
.qa-doclist .qa-doc-w { white-space: nowrap; }
.qa-doclist .qa-doc-c { text-align: right; }
.qa-doclist .qa-doc-f, .qa-doclist .qa-doc-w { color: var(--body-text-color-subdued); }
.qa-doclist .qa-doc-a { white-space: nowrap; }
.qa-doclist button { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 1px 8px; margin-left: 4px;
  background: var(--background-fill-secondary); cursor: pointer; }
.qa-doclist button.qa-doc-remove { color: #b91c1c; }
.qa-summary ul { margin: 2px 0 0 1.2em; }
"""
