"""Normalise extracted text into the form that is stored, shown and quoted.

What it does: Unicode NFKC (ligatures, non-breaking spaces), drops control and zero-width
characters, collapses runs of spaces, turns bullet glyphs into "- ", re-joins hard-wrapped lines,
drops lines that are only a page number, and removes trailing web-page chrome.

The chrome rule: take the run of short lines at the end of the document (at most
`CHROME_MAX_WORDS` words, no sentence punctuation); if one of them names a typical widget
(`WIDGET_WORDS`: comment, share, subscribe, notify, ...), that line and every line after it are
removed — "Notify of / Inline Feedbacks / View all comments", "Share this / Like / Follow us". Short
lines above the first widget line stay, so a document that ends on a short bullet list or on a
closing heading keeps it; a document made only of such lines is kept whole.
What it does not: split sentences or parse references.
"""

from __future__ import annotations

import re
import unicodedata

BULLET_GLYPHS = re.compile(
    r"^[ \t]*(?:[\u2022\u2023\u2043\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u25e6\u27a2\u25ba\u25b8][ \t]*|[\u2013\u2014*+][ \t]+)(?=\S)",
    re.M,
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
SPACES = re.compile(r"[ \t]+")
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
SENTENCE_PUNCTUATION = re.compile(r"[.!?:;]")
WIDGET_WORDS = re.compile(r"\b(comments?|share|subscribe|notify|feedbacks?|reply|log ?in|sign ?up|cookies?)\b", re.I)
CHROME_MAX_WORDS = 4


def clean_text(text: str) -> str:
    """The stored form of `text`; idempotent (`clean_text(clean_text(t)) == clean_text(t)`)."""
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\t", " ")
    text = CONTROL.sub("", text)
    text = BULLET_GLYPHS.sub("- ", text)
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if not PAGE_NUMBER_LINE.match(line)]
    lines = _drop_trailing_chrome(_unwrap(lines))
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _unwrap(lines: list[str]) -> list[str]:
    """Join a line to the previous one when the paragraph was hard-wrapped mid-sentence."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and line[0].islower() and not out[-1].endswith((".", "!", "?", ":")):
            if out[-1].endswith("-") and not out[-1].endswith(" -"):
                out[-1] = out[-1] + line  # a word hyphenated across lines keeps its hyphen
            else:
                out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def _is_short_bare_line(line: str) -> bool:
    return bool(line) and len(line.split()) <= CHROME_MAX_WORDS and not SENTENCE_PUNCTUATION.search(line)


def _drop_trailing_chrome(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    cut = None  # index of the first widget line in the trailing run of short bare lines
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if not line:
            continue
        if not _is_short_bare_line(line):
            break
        if WIDGET_WORDS.search(line):
            cut = index
    if cut is None or not any(lines[:cut]):
        return lines  # no widget, or the whole document is short lines: keep it, it is content
    return lines[:cut]
