"""ingest.load: each format becomes cleaned text with a source, a title and (PDF) page offsets;
a file that cannot become text is refused with a reason a person can act on."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import CORPUS, EVIDENCE, OVERVIEW
from ingest.load import Document, SkipFile, load_document


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def skip_reason(path: Path, root: Path) -> str:
    with pytest.raises(SkipFile) as caught:
        load_document(path, root)
    return str(caught.value)


# -- the corpus ------------------------------------------------------------------------------------


def test_the_corpus_documents():
    overview = load_document(CORPUS / OVERVIEW, CORPUS)
    assert overview.source == OVERVIEW
    assert overview.title == "Substance Abuse"
    assert overview.content_hash == hashlib.sha256((CORPUS / OVERVIEW).read_bytes()).hexdigest()
    assert overview.page_starts == [] and overview.page_at(100) is None
    assert len(overview.text) == 2117
    evidence = load_document(CORPUS / EVIDENCE, CORPUS)
    assert evidence.title == "Evidence for using ketamine to treat substance use disorders is still evolving but promising."
    assert evidence.text == (CORPUS / EVIDENCE).read_text(encoding="utf-8").strip()


# -- formats ---------------------------------------------------------------------------------------


def test_txt_source_is_relative_to_the_corpus_root(tmp_path):
    path = write(tmp_path / "notes" / "deep" / "trial.txt", "Trial notes\n\nKetamine was given twice.\n")
    document = load_document(path, tmp_path)
    assert document == Document(
        source="notes/deep/trial.txt",
        title="Trial notes",
        text="Trial notes\n\nKetamine was given twice.",
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def test_a_file_outside_the_root_is_named_by_its_file_name(tmp_path):
    path = write(tmp_path / "a" / "x.txt", "Some text here.")
    assert load_document(path, tmp_path / "b").source == "x.txt"


def test_markdown_loses_heading_hashes_emphasis_and_link_targets(tmp_path):
    path = write(
        tmp_path / "notes.md",
        "# Ketamine *notes*\n\nKetamine is **well studied** for __alcohol__ use and *promising*, "
        "see [the trial](https://example.org/t).\n\n## Doses\n\n* 0.8 mg/kg over 40 minutes\n* two sessions\n"
        "- snake_case_name stays\n",
    )
    document = load_document(path, tmp_path)
    assert document.title == "Ketamine notes"
    assert document.text == (
        "Ketamine notes\n\nKetamine is well studied for alcohol use and promising, see the trial.\n\n"
        "Doses\n\n- 0.8 mg/kg over 40 minutes\n- two sessions\n- snake_case_name stays"
    )


def test_markdown_title_is_the_first_line_when_there_is_no_heading(tmp_path):
    path = write(tmp_path / "plain.markdown", "Plain first line\n\n# Later heading\n\nBody.")
    assert load_document(path, tmp_path).title == "Plain first line"


HTML = """<!DOCTYPE html>
<html><head><title>Page title | Site</title>
<style>p { color: red }</style><script>var tracking = "Notify of";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<!-- a comment that is not text -->
<h1>Ketamine and <em>addiction</em></h1>
<p>Ketamine <b>reduced</b> cravings in <a href="#">small trials</a>. Effects lasted
2 weeks.</p>
<p>Patients received
0.8 mg/kg over 40 minutes.</p>
<ul><li>Nausea</li><li>Dizziness</li></ul>
<script>document.write("hidden")</script>
<footer>Share this</footer>
</body></html>"""


def test_html_keeps_paragraphs_apart_and_inline_tags_inside_sentences(tmp_path):
    document = load_document(write(tmp_path / "page.html", HTML), tmp_path)
    assert document.title == "Ketamine and addiction"
    assert document.text == (
        "Ketamine and addiction\n\nKetamine reduced cravings in small trials. Effects lasted 2 weeks.\n\n"
        "Patients received 0.8 mg/kg over 40 minutes.\n\n- Nausea\n\n- Dizziness"
    )
    for gone in ("color", "tracking", "hidden", "Home", "comment", "Share"):
        assert gone not in document.text


def test_html_title_falls_back_to_the_title_tag(tmp_path):
    path = write(tmp_path / "page.htm", "<html><head><title>Only a title</title></head><body><p>Body text.</p></body></html>")
    document = load_document(path, tmp_path)
    assert document.title == "Only a title"
    assert document.text == "Body text."


def test_html_title_falls_back_to_the_first_line(tmp_path):
    path = write(tmp_path / "bare.html", "<p>First paragraph here</p><p>Second one.</p>")
    document = load_document(path, tmp_path)
    assert (document.title, document.text) == ("First paragraph here", "First paragraph here\n\nSecond one.")


def test_pdf_pages_are_kept_with_their_offsets(tmp_path, make_pdf):
    path = make_pdf(
        tmp_path / "paper.pdf",
        [
            ["Ketamine Trials", "Patients received 0.8 mg/kg (IV).", "The study was small."],
            ["Second page text here.", "more text on the line", "2"],
        ],
    )
    document = load_document(path, tmp_path)
    page_one = "Ketamine Trials\nPatients received 0.8 mg/kg (IV).\nThe study was small."
    page_two = "Second page text here.\nmore text on the line"
    assert document.text == page_one + "\n\n" + page_two
    assert document.title == "Ketamine Trials"
    assert document.page_starts == [0, len(page_one) + 2]
    second = document.text.index("Second page")
    assert document.page_at(0) == 1
    assert document.page_at(len(page_one) - 1) == 1
    assert document.page_at(second) == 2
    assert document.page_at(len(document.text) - 1) == 2


def test_an_empty_pdf_page_keeps_the_numbering(tmp_path, make_pdf):
    path = make_pdf(tmp_path / "gap.pdf", [["Page one text."], [], ["Page three text."]])
    document = load_document(path, tmp_path)
    assert document.text == "Page one text.\n\nPage three text."
    assert document.page_at(document.text.index("Page three")) == 3
    assert document.page_at(0) == 1


# -- titles ----------------------------------------------------------------------------------------


def test_a_long_first_line_is_cut_to_its_first_sentence(tmp_path):
    path = write(
        tmp_path / "long.txt",
        "Ketamine is an anaesthetic that is now being studied for addiction. It is given in clinics under supervision.",
    )
    assert load_document(path, tmp_path).title == "Ketamine is an anaesthetic that is now being studied for addiction."


def test_a_very_long_first_sentence_is_cut_at_a_word(tmp_path):
    words = " ".join(["ketamine"] * 40)
    title = load_document(write(tmp_path / "w.txt", words), tmp_path).title
    assert len(title) <= 120 and title.endswith("ketamine\u2026")


def test_the_title_falls_back_to_the_file_name(tmp_path):
    assert load_document(write(tmp_path / "dashes-only.txt", "---\n- -\n"), tmp_path).title == "dashes-only"


# -- encodings and bad input -----------------------------------------------------------------------


def test_utf8_with_bom_and_utf16_are_read(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 text.")
    (tmp_path / "wide.txt").write_bytes("Caf\u00e9 text.".encode("utf-16"))
    assert load_document(tmp_path / "bom.txt", tmp_path).text == "Caf\u00e9 text."
    assert load_document(tmp_path / "wide.txt", tmp_path).text == "Caf\u00e9 text."


def test_unsupported_extension(tmp_path):
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04 zip")
    assert skip_reason(tmp_path / "report.docx", tmp_path) == (
        "unsupported file type '.docx' (supported: .txt .md .html .pdf)"
    )


def test_empty_and_blank_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b"  \n\n\t\n")
    assert skip_reason(tmp_path / "empty.txt", tmp_path) == "empty file"
    assert skip_reason(tmp_path / "blank.md", tmp_path) == "empty file"


def test_a_file_with_no_text_after_cleaning(tmp_path):
    (tmp_path / "junk.html").write_text("<html><script>only code</script></html>", encoding="utf-8")
    assert skip_reason(tmp_path / "junk.html", tmp_path) == "no text after cleaning"


def test_binary_file(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert skip_reason(tmp_path / "image.txt", tmp_path) == "binary file (contains NUL bytes)"


def test_non_utf8_file(tmp_path):
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9 au lait")
    assert skip_reason(tmp_path / "latin.txt", tmp_path) == (
        "not UTF-8 text (byte 0xe9 at offset 3); re-save it as UTF-8"
    )


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.txt", "You cannot read me.")
    real = Path.read_bytes

    def read_bytes(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert skip_reason(path, tmp_path) == "cannot read the file: Permission denied"


def test_pdf_without_text(tmp_path, make_pdf):
    path = make_pdf(tmp_path / "scan.pdf", [[], []])
    assert skip_reason(path, tmp_path) == "PDF has no extractable text (a scan? run OCR first)"


def test_broken_pdf(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    assert skip_reason(tmp_path / "broken.pdf", tmp_path) == "not a readable PDF: the file is damaged or not a PDF"
