"""The Documents panel in a real browser: upload a document, ask what only it answers, see the quote
in it, be asked in the row under it before removing it, be refused after; a damaged PDF and a
file of another type are skipped with their reasons and the upload box is ready again.

Screenshots for a person to look at: tests/artifacts/documents.png, remove-confirmation.png and
rejected-upload.png. No request of these pages may leave 127.0.0.1.
"""

from __future__ import annotations

import re


from browser_helpers import (  # noqa: F401 - fixtures
    ARTIFACTS, BROWSER_MARKS, app_url, assert_only_loopback, browser_log, context, page, send,
)

pytestmark = BROWSER_MARKS


ZEBRAFISH = "# Zebrafish field notes\n\nThe zebrafish study counted 41 stripes on average in adult fish kept at 28 degrees.\n"
ZEBRAFISH_QUESTION = "How many stripes did the zebrafish study count?"


def test_upload_a_document_ask_it_then_remove_it(page, tmp_path):
    """Upload a new Markdown file, get a quote from it, see it highlighted, remove it: then it is refused."""
    from playwright.sync_api import expect

    from qa import REFUSAL

    note = tmp_path / "zebrafish-field-notes.md"
    note.write_text(ZEBRAFISH, encoding="utf-8")
    page.locator("#qa-library").get_by_text("Documents", exact=True).first.click()
    row = page.locator("#qa-documents tr[data-source='zebrafish-field-notes.md']")
    expect(page.locator("#qa-documents tbody tr").first).to_be_visible()
    expect(row).to_have_count(0)
    page.locator("#qa-upload input[type=file]").set_input_files(str(note))
    summary = page.locator("#qa-upload-summary")
    expect(summary).to_contain_text("1 added")
    expect(summary).to_contain_text("0 skipped")
    expect(row).to_contain_text("Zebrafish field notes")

    answer = send(page, ZEBRAFISH_QUESTION)
    expect(answer).to_contain_text("41 stripes")
    source = page.locator("#qa-sources summary[data-cite]").filter(has_text="41 stripes").first
    source.click()
    expect(page.locator("#qa-docpanel mark#qa-hl")).to_contain_text("41 stripes")
    expect(page.locator("#qa-docpanel .qa-doc-source")).to_have_text("zebrafish-field-notes.md")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=True)

    row.locator("button[data-action=open]").click()  # the same view, the whole document unmarked
    expect(page.locator("#qa-docpanel .qa-doc-text")).to_contain_text("41 stripes")
    expect(page.locator("#qa-docpanel mark")).to_have_count(0)

    row.locator("button[data-action=remove]").click()
    confirm = page.locator("#qa-documents tr#qa-confirm")  # the question, in the row under the document
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(re.compile("Remove .*zebrafish-field-notes.md"))
    expect(confirm).to_have_attribute("data-for", "zebrafish-field-notes.md")
    confirm.locator("button#qa-cancel-remove").click()
    expect(confirm).to_have_count(0)
    expect(row).to_have_count(1)
    row.locator("button[data-action=remove]").click()
    expect(confirm).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.locator("#qa-library").screenshot(path=str(ARTIFACTS / "remove-confirmation.png"))
    confirm.locator("button#qa-confirm-remove").click()
    expect(summary).to_contain_text("Removed zebrafish-field-notes.md")
    expect(row).to_have_count(0)
    expect(confirm).to_have_count(0)
    expect(send(page, ZEBRAFISH_QUESTION)).to_contain_text(REFUSAL)


def test_a_rejected_upload_says_why_and_the_box_takes_the_next_file(page, tmp_path):
    from playwright.sync_api import expect

    page.locator("#qa-library").get_by_text("Documents", exact=True).first.click()
    expect(page.locator("#qa-documents tbody tr").first).to_be_visible()
    summary = page.locator("#qa-upload-summary")
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"%PDF-1.4\nnot really a pdf")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 a word file")
    page.locator("#qa-upload input[type=file]").set_input_files([str(fake), str(tmp_path / "notes.docx")])
    expect(summary).to_contain_text("0 added")
    expect(summary).to_contain_text("scan.pdf: not a readable PDF: the file is damaged or not a PDF")
    expect(summary).to_contain_text("notes.docx: unsupported file type")
    expect(summary).not_to_contain_text("Error")
    expect(page.locator("#qa-upload")).not_to_contain_text("Error")
    expect(page.locator("#qa-upload input[type=file]")).to_have_count(1)  # the box is empty and ready again
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.locator("#qa-library").screenshot(path=str(ARTIFACTS / "rejected-upload.png"))


def test_no_request_left_loopback(browser_log):
    """Runs last in this module: every request of every page above went to this machine."""
    assert_only_loopback(browser_log)
