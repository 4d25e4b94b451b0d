"""The documents panel's HTML (`qa_ui.documents`): pure functions, no server.

Checks that titles and file names from documents are escaped (also inside the buttons'
`data-source`), that Remove appears only when allowed, that the summary line counts what an
upload did and lists each skip with its reason, and that a document opens unmarked.
"""

from __future__ import annotations

from qa_ui import documents

HOSTILE = '<img src=x onerror=alert(1)>"quoted".md'


def test_the_table_lists_each_document_and_escapes_names():
    docs = [
        {"source": HOSTILE, "title": "<b>Title</b>", "chunks": 3, "indexed_at": "2026-11-27T10:05:41Z"},
        {"source": "b.txt", "title": "B", "chunks": 1, "indexed_at": ""},
    ]
    html = documents.documents_html(docs, allow_remove=True)
    assert "<img" not in html and "<b>" not in html and "&lt;b&gt;Title&lt;/b&gt;" in html
    assert 'data-source="&lt;img src=x onerror=alert(1)&gt;&quot;quoted&quot;.md"' in html
    assert "2 documents in the index" in html and "2026-11-27 10:05 UTC" in html and "unknown" in html
    assert html.count('data-action="remove"') == 2 and html.count('data-action="open"') == 2


def test_the_removal_question_stands_in_the_row_under_its_document():
    docs = [
        {"source": "a.txt", "title": "A", "chunks": 1, "indexed_at": ""},
        {"source": HOSTILE, "title": "<b>T</b>", "chunks": 2, "indexed_at": ""},
        {"source": "c.txt", "title": "C", "chunks": 1, "indexed_at": ""},
    ]
    html = documents.documents_html(docs, allow_remove=True, confirming=HOSTILE)
    rows = html.split("<tr")
    asking = next(i for i, row in enumerate(rows) if 'id="qa-confirm"' in row)
    assert 'data-source="&lt;img' in rows[asking - 1] and "c.txt" in rows[asking + 1]
    assert 'class="qa-danger" data-action="confirm"' in rows[asking] and 'data-action="cancel"' in rows[asking]
    assert "Remove “&lt;b&gt;T&lt;/b&gt;”" in rows[asking] and "<b>" not in html
    assert html.count('id="qa-confirm"') == 1
    assert 'id="qa-confirm"' not in documents.documents_html(docs, allow_remove=False, confirming="a.txt")
    assert 'id="qa-confirm"' not in documents.documents_html(docs, allow_remove=True)


def test_read_only_shows_no_remove_buttons():
    html = documents.documents_html([{"source": "a.txt", "title": "A", "chunks": 1, "indexed_at": ""}], allow_remove=False)
    assert 'data-action="remove"' not in html and 'data-action="open"' in html
    assert "No documents" in documents.documents_html([], allow_remove=True)


def test_the_summary_line_counts_and_lists_skips_and_renames():
    result = {
        "files": 3, "chunks": 13, "added": 1, "updated": 0, "removed": 0, "unchanged": 0, "seconds": 1.25,
        "skipped": [{"path": "<bad>.txt", "reason": "empty file"}], "renamed": [{"from": "a.md", "to": "a-2.md"}],
    }
    html = documents.summary_html(result)
    assert "1 added, 0 updated, 1 skipped — 3 documents, 13 chunks in the index (1.2 s)." in html
    assert "skipped &lt;bad&gt;.txt: empty file" in html and "renamed a.md → a-2.md" in html
    assert "unchanged" not in html


def test_removal_and_problem_lines():
    assert "Removed a.md: 1 document, 6 chunks in the index." in documents.removed_html("a.md", {"files": 1, "chunks": 6})
    assert "&lt;x&gt;" in documents.problem_html("<x>")
    assert "“T” (a.md)?" in documents.confirm_text({"title": "T"}, "a.md")
    assert documents.confirm_text({"title": "An opening sentence, not a title."}, "a.md").startswith("Remove a.md?")


def test_a_document_opens_whole_and_unmarked():
    html = documents.document_view({"text": "One <two>.", "title": "Doc", "source": "a.md"}, "a.md")
    assert "One &lt;two&gt;." in html and "<mark" not in html and "a.md" in html
    assert "no longer in the index" in documents.document_view(None, "gone.md")
