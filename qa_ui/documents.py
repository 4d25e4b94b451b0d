"""Turn the corpus-folder operations' results into the HTML the documents panel shows.

What it does: pure functions from data to escaped HTML: the table of indexed documents (title,
file name, chunks, when indexed, with Open and, when allowed, Remove buttons carrying the source
in `data-source`), the one-line summary of an upload or a removal, the confirmation question
before a removal, and a whole document for reading (the same view the citations open, unmarked).
What it does not: change the corpus (see `ingest.corpus`) or know about Gradio (see `qa_ui.library`).
"""

from __future__ import annotations

from html import escape

from qa.answer import document_label
from qa_ui import render


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _when(indexed_at: str) -> str:
    """`2026-11-27T10:05:41Z` -> `2026-11-27 10:05 UTC`; unknown for indexes built before times were kept."""
    if not indexed_at or "T" not in indexed_at:
        return "unknown"
    day, time = indexed_at.rstrip("Z").split("T", 1)
    return f"{day} {time[:5]} UTC"


def _day(indexed_at: str) -> str:
    """The day alone, for the table; the time is in the cell's tooltip."""
    return _when(indexed_at).split(" ")[0]


def documents_html(documents: list[dict], allow_remove: bool, confirming: str | None = None) -> str:
    """The indexed documents as a table; each row has Open (and Remove when `allow_remove`).

    With `confirming` (a source), the row right under that document asks whether to remove it,
    with a red Remove and a Cancel button: the question stands next to the button pressed."""
    if not documents:
        return '<div class="qa-doclist qa-doc-empty">No documents are indexed.</div>'
    rows = []
    for doc in documents:
        source = _attr(doc["source"])
        remove = (
            f'<button class="qa-doc-remove" data-action="remove" data-source="{source}" title="Remove this document">Remove</button>'
            if allow_remove else ""
        )
        title = document_label(doc.get("title"), doc["source"])
        rows.append(
            f'<tr data-source="{source}"><td class="qa-doc-t" title="{_attr(title)}">{render.text_html(title)}</td>'
            f'<td class="qa-doc-f" title="{source}">{render.text_html(doc["source"])}</td><td class="qa-doc-c">{int(doc.get("chunks", 0))}</td>'
            f'<td class="qa-doc-w" title="{_attr(_when(doc.get("indexed_at", "")))}">{render.text_html(_day(doc.get("indexed_at", "")))}</td>'
            f'<td class="qa-doc-a"><button class="qa-doc-open" data-action="open" data-source="{source}" '
            f'title="Read this document">Open</button>{remove}</td></tr>'
        )
        if allow_remove and confirming == doc["source"]:
            rows.append(
                f'<tr id="qa-confirm" class="qa-confirm" data-for="{source}"><td colspan="5">'
                f'<span class="qa-confirm-q">{render.text_html(confirm_text(doc, doc["source"]))}</span>'
                f'<span class="qa-confirm-a"><button id="qa-confirm-remove" class="qa-danger" data-action="confirm" '
                f'data-source="{source}">Remove</button><button id="qa-cancel-remove" data-action="cancel" '
                f'data-source="{source}">Cancel</button></span></td></tr>'
            )
    count = f"{len(documents)} document{'s' if len(documents) != 1 else ''}"
    return (
        f'<div class="qa-doclist"><div class="qa-heading">{count} in the index</div><table>'
        '<colgroup><col class="qa-col-t"><col class="qa-col-f"><col class="qa-col-c"><col class="qa-col-w"><col class="qa-col-a">'
        "</colgroup><thead><tr><th>Title</th><th>File</th><th>Chunks</th><th>Added</th><th></th></tr></thead>"
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
    title = document_label((document or {}).get("title"), source)
    named = f"“{title}” ({source})" if title != source.rsplit("/", 1)[-1] else source
    return f"Remove {named}? It leaves the index and its file is deleted from the corpus folder."


def document_view(document: dict | None, source: str) -> str:
    """The whole stored document for reading, in the panel the citations use, nothing marked."""
    return render.document_html(document, {"source": source, "start": 0, "end": 0})


CSS = """
#qa-documents, #qa-documents > div { border: none !important; box-shadow: none !important; padding: 0; }
.qa-doclist table { width: 100%; border-collapse: collapse; font-size: 0.9rem; table-layout: fixed; margin: 0; }
.qa-doclist col.qa-col-t { width: auto; } .qa-doclist col.qa-col-f { width: 27%; }
.qa-doclist col.qa-col-c { width: 4.2em; } .qa-doclist col.qa-col-w { width: 7em; } .qa-doclist col.qa-col-a { width: 11.5em; }
.qa-doclist th { text-align: left; font-weight: 600; color: var(--body-text-color-subdued); }
.qa-doclist table, .qa-doclist tr, .qa-doclist td, .qa-doclist th { border-left: none !important; border-right: none !important;
  border-top: none !important; background: transparent; }
.qa-doclist td, .qa-doclist th { padding: 6px 8px; vertical-align: middle; }
.qa-doclist tr { border-bottom: 1px solid var(--border-color-primary) !important; }
.qa-doclist .qa-doc-t, .qa-doclist .qa-doc-f { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.qa-doclist .qa-doc-w, .qa-doclist .qa-doc-a { white-space: nowrap; } .qa-doclist .qa-doc-a { text-align: right; }
.qa-doclist tr.qa-confirm td { white-space: normal; }
.qa-doclist .qa-doc-c, .qa-doclist th:nth-child(3) { text-align: right; } .qa-doclist th:nth-child(4) { padding-left: 14px; } .qa-doclist .qa-doc-w { padding-left: 14px; }
.qa-doclist .qa-doc-f, .qa-doclist .qa-doc-w { color: var(--body-text-color-subdued); }
.qa-doclist button { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 1px 8px; margin-left: 4px;
  background: var(--background-fill-secondary); color: var(--body-text-color); cursor: pointer; }
.qa-doclist button.qa-doc-remove { color: #b91c1c; }
.qa-doclist tr.qa-confirm td { background: #fef2f2; border-left: 3px solid #dc2626 !important; color: #7f1d1d; }
.qa-doclist .qa-confirm-q { display: inline-block; margin-right: 8px; }
.qa-doclist .qa-confirm-a { white-space: nowrap; }
.qa-doclist button.qa-danger { background: #dc2626; border-color: #b91c1c; color: #fff; font-weight: 600; }
.qa-summary ul { margin: 2px 0 0 1.2em; }
"""
