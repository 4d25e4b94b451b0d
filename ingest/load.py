"""Read one file of the corpus into a cleaned `Document`.

What it does: reads `.txt`, `.md`, `.html`/`.htm` (BeautifulSoup's parser, scripts and page chrome
dropped) and `.pdf` (pypdf, page by page, page start offsets kept), cleans the text, names the
document by its path relative to the corpus root and gives it a title (first heading or first
line, else the file name). A file that cannot become text raises `SkipFile` with a reason a person
can act on.
What it does not: walk folders, split sentences or touch the index.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.clean import clean_text

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
PAGE_SEPARATOR = "\n\n"
TITLE_MAX_CHARS = 120
HTML_DROP = ["script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form", "svg", "iframe"]
HTML_BLOCKS = [
    "p", "div", "section", "article", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre",
    "blockquote", "dt", "dd", "figcaption", "caption", "table", "ul", "ol", "br", "hr",
]
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
MD_SINGLE_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
HTML_SPACE = re.compile(r"\s+")
MIB = 1024 * 1024


class SkipFile(Exception):
    """This file cannot be ingested; the message says why."""


@dataclass
class Document:
    """A cleaned document: `text` is what is stored, shown and quoted."""

    source: str
    title: str
    text: str
    content_hash: str
    page_starts: list[int] = field(default_factory=list)  # PDF only: offset of each page in `text`

    def page_at(self, offset: int) -> int | None:
        """1-based page holding `offset`, or None when the document has no pages."""
        page = None
        for number, start in enumerate(self.page_starts, 1):
            if start <= offset:
                page = number
        return page


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_document(path: Path, root: Path, max_bytes: int | None = None) -> Document:
    """Load, clean and title the file at `path`; `root` is the corpus folder it belongs to.

    A file larger than `max_bytes` is skipped before it is read.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFile(f"unsupported file type '{suffix or path.name}' (supported: .txt .md .html .pdf)")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise SkipFile(
                f"too large ({size / MIB:.1f} MB; the limit is {round(max_bytes / MIB, 3):g} MB, set by QUOTEQA_MAX_FILE_MB)"
            )
        data = path.read_bytes()
    except OSError as error:
        raise SkipFile(f"cannot read the file: {error.strerror or error}") from None
    if not data.strip():
        raise SkipFile("empty file")
    source = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    if suffix == ".pdf":
        pages = _pdf_pages(data)
    else:
        raw = _decode(data)
        if suffix in {".html", ".htm"}:
            raw, html_title = _html_text(raw)
        else:
            html_title = None
            if suffix in {".md", ".markdown"}:
                raw = _markdown_text(raw)
        pages = [raw]
    cleaned = [clean_text(page) for page in pages]
    text, page_starts = _join_pages(cleaned) if suffix == ".pdf" else (cleaned[0], [])
    if not text.strip():
        reason = "PDF has no extractable text (a scan? run OCR first)" if suffix == ".pdf" else "no text after cleaning"
        raise SkipFile(reason)
    title = (html_title if suffix in {".html", ".htm"} else None) or _first_line_title(text) or path.stem
    return Document(source=source, title=title, text=text, content_hash=file_hash(data), page_starts=page_starts)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SkipFile("binary file (contains NUL bytes)")
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SkipFile(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); re-save it as UTF-8"
        ) from None


def _html_text(markup: str) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    heading = soup.find("h1")
    for tag in soup.find_all(HTML_DROP + ["head"]):
        tag.decompose()
    # Line breaks in the markup are spaces to a reader: only block tags (below) break lines.
    for node in soup.find_all(string=True):
        if type(node) is NavigableString and node.find_parent("pre") is None:
            collapsed = HTML_SPACE.sub(" ", node)
            if collapsed != node:
                node.replace_with(collapsed)
    for item in soup.find_all("li"):
        item.insert(0, "- ")
    for tag in soup.find_all(HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    if heading is not None and heading.get_text(strip=True):
        title = heading.get_text(" ", strip=True)
    return text, title


def _markdown_text(text: str) -> str:
    """Markdown to the plain text a reader sees: no heading hashes, emphasis marks or link targets."""
    text = MD_LINK.sub(r"\1", text)
    text = MD_HEADING.sub("", text)
    return MD_SINGLE_EMPHASIS.sub(r"\2", MD_EMPHASIS.sub(r"\2", text))


def _pdf_pages(data: bytes) -> list[str]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SkipFile("encrypted PDF")
        return [page.extract_text() or "" for page in reader.pages]
    except SkipFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        # The parser's exception names mean nothing to the person who uploaded the file.
        raise SkipFile("not a readable PDF: the file is damaged or not a PDF") from None


def _join_pages(pages: list[str]) -> tuple[str, list[int]]:
    text, starts = "", []
    for page in pages:
        if text and page:
            text += PAGE_SEPARATOR
        starts.append(len(text))
        text += page
    return text, starts


def _first_line_title(text: str) -> str | None:
    """The first line, cut to its first sentence and to `TITLE_MAX_CHARS` when it is long."""
    from ingest.sentences import split_sentences

    for line in text.split("\n"):
        line = line.strip().lstrip("- ").strip()
        if not line:
            continue
        if len(line) > TITLE_MAX_CHARS // 2:
            first = split_sentences(line)
            line = first[0].text_in(line) if first else line
        if len(line) > TITLE_MAX_CHARS:
            line = line[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"
        return line
    return None
