"""Turn an answer (the dict of `Answer.to_dict()`) into the HTML the chat window shows.

What it does: pure functions from data to escaped HTML: the chat message of an answer, the list
of numbered citations (each expandable to its passage, quote marked), and the document panel
(the whole stored text, the clicked quote marked). Every piece of text that comes from a user or
a document goes through `html.escape`, so `<script>` or `<img onerror=…>` shows as text.
What it does not: answer, load documents or know about Gradio components (see `app.py`).
"""

from __future__ import annotations

from html import escape

from ingest.references import cited_numbers
from qa.answer import RELATED_HEADING, document_label, unmentioned_line
from qa.text.markers import REF_LABEL, shown
from qa.text.wording import CLOSING_MARKS

NOTICE_CLASS = "qa-notice"


def text_html(text: str) -> str:
    """Plain text as HTML: `<`, `>`, `&` escaped (quotes need not be, outside attributes), line breaks kept."""
    return escape(text, quote=False).replace("\n", "<br>")


def _entries(citations: list[dict]) -> dict[int, str]:
    """The bibliography entries the quotes' own markers point to, by number."""
    return {int(ref["n"]): str(ref.get("text", "")) for c in citations for ref in c.get("references") or [] if "n" in ref}


def with_reference_labels(html_text: str, entries: dict[int, str]) -> str:
    """Escaped text with each `(ref. n)` label (`qa.text.markers`) as a superscript whose tooltip is the
    bibliography entry: the document's own markers, told apart from the answer's `[n]`."""

    def sup(match) -> str:
        # The label's numbers read back as the marker they came from ("2, 3", "4–6").
        known = [shown(entries[n]) for n in cited_numbers(f"[{match.group(1)}]") if n in entries]
        tip = f' title="{escape(" · ".join(known), quote=True)}"' if known else ""
        return f'<sup class="qa-ref"{tip}>ref.&nbsp;{match.group(1)}</sup>'

    return REF_LABEL.sub(sup, html_text)


def quote_html(quote: str, entries: dict[int, str]) -> str:
    """A verbatim quote as HTML, its markers shown as reference labels."""
    return with_reference_labels(text_html(shown(quote)), entries)


def user_message(question: str) -> str:
    """A user's chat message (the chat renders HTML, not Markdown)."""
    return text_html(question)


def _shortened(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _plain(question: str) -> str:
    """A question without its case or closing marks: what the chain's own normalising changes
    (`qa.text.wording`) is not worth a "Searched for" line; a respelt word is."""
    return CLOSING_MARKS.sub("", question.strip()).lower()


def answer_message(answer: dict) -> str:
    """The assistant's chat message: the quoted answer (or the refusal, plainly, with the question's
    words no document uses), notices in italics.

    When a follow-up was rewritten to stand alone, or an answer searched with the conversation,
    what was searched for is shown too.
    """
    parts = [with_reference_labels(text_html(answer["answer"]), _entries(answer.get("citations") or []))]
    standalone = answer.get("standalone_question") or ""
    rewritten = bool(standalone) and _plain(standalone) != _plain(answer.get("question") or "")
    # Under a refusal the conversation is named only when it changed what was searched for (the
    # question was rewritten with it): a question on its own terms is refused on its own terms.
    searched_with = (answer.get("searched_with") or []) if rewritten or not answer.get("refused") else []
    if searched_with or rewritten:
        context = f" — with the conversation: “{text_html(_shortened(searched_with[0]))}”" if searched_with else ""
        parts.append(f'<em class="qa-standalone">Searched for: {text_html(standalone)}{context}</em>')
    if answer.get("refused") and answer.get("unmentioned"):
        parts.append(f'<em class="{NOTICE_CLASS}">{text_html(unmentioned_line(answer["unmentioned"]))}</em>')
    parts += [f'<em class="{NOTICE_CLASS}">{text_html(notice)}</em>' for notice in answer.get("notices") or []]
    dropped = answer.get("dropped") or []
    if dropped:
        count = f"{len(dropped)} sentence{'s' if len(dropped) > 1 else ''}"
        parts.append(f'<em class="{NOTICE_CLASS}">{count} of the LLM\'s answer failed the support check and {"were" if len(dropped) > 1 else "was"} not shown.</em>')
    return "<br>".join(parts)


def error_message(message: str) -> str:
    """A question that could not be asked (empty, too long): shown in the chat, in italics."""
    return f'<em class="qa-error">{text_html(message)}</em>'


def _reference_lines(citation: dict) -> str:
    refs = citation.get("references") or []
    if not refs:
        return ""
    items = "".join(f"<li>{text_html(shown(str(ref.get('text', ''))))}</li>" for ref in refs)
    return f'<div class="qa-refs"><span>References in the quote:</span><ul>{items}</ul></div>'


def passage_html(text: str, citation: dict) -> str:
    """The passage around a quote, with the quote in <mark>; falls back to the quote alone. The
    document's own markers read as reference labels here too, beside the answer's numbers."""
    start, end = citation["start"], citation["end"]
    p_start = min(citation.get("passage_start", start) or 0, start)
    p_end = max(citation.get("passage_end", end) or end, end)
    entries = _entries([citation])
    if not text or text[start:end] != citation["quote"]:
        return f'<mark>{quote_html(citation["quote"], entries)}</mark>'
    return (
        quote_html(text[p_start:start], entries).lstrip()
        + f"<mark>{quote_html(text[start:end], entries)}</mark>"
        + quote_html(text[end:p_end], entries).rstrip()
    )


def match_words(score: float) -> str:
    """How strongly a quote matched the question, in words, with the reranker's score: 5 and above
    is where its answers are usually right on this corpus's questions, below 0 mostly off topic."""
    word = "strong" if score >= 5 else "fair" if score >= 0 else "weak"
    return f"{word} match ({score:.2f})"


def citations_html(answer: dict | None, documents: dict[str, str], show_scores: bool = False) -> str:
    """The numbered sources under an answer: `[n] title — “quote”`, each a <details> with its passage.

    `documents` maps a source to its stored text. A refusal (or no answer yet) shows no sources.
    Each summary carries `data-cite` (the citation's position) so a click can open the document.
    """
    if not answer or answer.get("refused") or not answer.get("citations"):
        return ""
    items, entries = [], _entries(answer["citations"])
    for i, citation in enumerate(answer["citations"]):
        score = f' <span class="qa-score">{match_words(citation["score"])}</span>' if show_scores else ""
        page = f' <span class="qa-page">p. {int(citation["page"])}</span>' if citation.get("page") else ""
        items.append(
            f'<details class="qa-cite" data-cite="{i}">'
            f'<summary data-cite="{i}" title="Show the passage, and the quote in its document">'
            f'<span class="qa-n">[{int(citation["n"])}]</span> '
            f'<span class="qa-title">{text_html(document_label(citation["title"], citation["source"]))}</span>{page} — '
            f'<q class="qa-quote">{quote_html(citation["quote"], entries)}</q>{score}</summary>'
            f'<div class="qa-passage">{passage_html(documents.get(citation["source"], ""), citation)}'
            f"{_reference_lines(citation)}"
            f'<div class="qa-source">{text_html(citation["source"])}, characters {int(citation["start"])}–{int(citation["end"])}</div>'
            f"</div></details>"
        )
    return f'<div class="qa-sources"><div class="qa-heading">Sources</div>{"".join(items)}</div>'


def related_html(answer: dict | None, documents: dict[str, str]) -> str:
    """Under a refusal: the closest passages, headed as what they are (they do not answer), unnumbered
    and apart from any sources. Nothing when the answer is not a refusal or has none."""
    if not answer or not answer.get("refused") or not answer.get("related"):
        return ""
    items = []
    for related in answer["related"]:
        items.append(
            '<details class="qa-related-item">'
            f'<summary><span class="qa-title">{text_html(document_label(related["title"], related["source"]))}</span> — '
            f'<q class="qa-quote">{quote_html(related["quote"], {})}</q></summary>'
            f'<div class="qa-passage">{passage_html(documents.get(related["source"], ""), related)}'
            f'<div class="qa-source">{text_html(related["source"])}, characters {int(related["start"])}–{int(related["end"])}</div>'
            "</div></details>"
        )
    return f'<div class="qa-related"><div class="qa-heading">{text_html(RELATED_HEADING)}</div>{"".join(items)}</div>'


def document_html(document: dict | None, citation: dict | None, others: list[dict] = ()) -> str:
    """The whole stored document with the clicked quote in <mark class="qa-hl"> (id `qa-hl`).

    Other quotes of the same answer from this document are marked more lightly.
    """
    if not citation:
        return '<div class="qa-doc qa-doc-empty">Click a source under an answer to see its quote highlighted in the document.</div>'
    if not document:
        return f'<div class="qa-doc qa-doc-empty">The document {text_html(citation["source"])} is no longer in the index.</div>'
    text = document.get("text", "")
    spans = [(citation["start"], citation["end"], True)]
    for other in others:
        if other["source"] == citation["source"] and (other["start"], other["end"]) != (citation["start"], citation["end"]):
            spans.append((other["start"], other["end"], False))
    spans.sort()
    out, cursor = [], 0
    for start, end, main in spans:
        if start < cursor or text[start:end] == "":
            continue  # overlapping or out-of-range spans are skipped, never half-marked
        mark = '<mark id="qa-hl" class="qa-hl">' if main else '<mark class="qa-other">'
        out += [text_html(text[cursor:start]), mark, text_html(text[start:end]), "</mark>"]
        cursor = end
    out.append(text_html(text[cursor:]))
    title = text_html(document_label(document.get("title"), citation["source"]))
    return (
        f'<div class="qa-doc"><div class="qa-doc-head"><div class="qa-doc-title">{title}</div>'
        f'<div class="qa-doc-source">{text_html(citation["source"])}</div></div>'
        f'<div class="qa-doc-text">{"".join(out)}</div></div>'
    )


# The "Show scores" box: a class on the page, which the CSS below reads (the sources' HTML always
# holds the scores), so a toggle holds while an answer streams and needs no round trip.
SHOW_SCORES_JS = "(show) => { document.documentElement.classList.toggle('qa-show-scores', !!show); return []; }"

CSS = """
.qa-sources, .qa-related { display: flex; flex-direction: column; gap: 6px; }
.qa-related-item { border: 1px dashed var(--border-color-primary); border-radius: 8px; padding: 6px 10px; }
.qa-related-item summary { cursor: pointer; line-height: 1.45; color: var(--body-text-color-subdued); }
.qa-heading { font-weight: 600; font-size: 0.9rem; color: var(--body-text-color-subdued); }
.qa-cite { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px;
  background: var(--background-fill-secondary); }
.qa-cite summary { cursor: pointer; line-height: 1.45; }
.qa-cite summary:hover .qa-title { text-decoration: underline; }
.qa-n { font-weight: 700; color: var(--color-accent); }
.qa-title { color: var(--body-text-color-subdued); }
.qa-quote { color: var(--body-text-color); }
.qa-quote::before { content: "\\201C"; } .qa-quote::after { content: "\\201D"; }
.qa-score, .qa-page { font-size: 0.8rem; color: var(--body-text-color-subdued); margin-left: 4px; }
html:not(.qa-show-scores) #qa-sources .qa-score { display: none; }
.qa-passage { margin-top: 6px; padding: 8px 10px; border-left: 3px solid var(--color-accent);
  background: var(--background-fill-primary); line-height: 1.5; }
.qa-passage mark, .qa-doc mark.qa-hl { background: #fde68a; color: #111; padding: 0 2px; border-radius: 2px; }
.qa-doc mark.qa-hl { box-shadow: 0 0 0 2px #f59e0b; }
.qa-doc mark.qa-other { background: #fef3c7; color: inherit; }
.qa-ref { font-size: 0.72em; color: var(--body-text-color-subdued); cursor: help; margin-left: 1px; }
.qa-refs { margin-top: 6px; font-size: 0.85rem; } .qa-refs ul { margin: 2px 0 0 1.2em; }
.qa-source, .qa-doc-source { margin-top: 4px; font-size: 0.8rem; color: var(--body-text-color-subdued); }
.qa-doc { line-height: 1.55; }
.qa-doc-head { position: sticky; top: -10px; padding: 6px 0; background: var(--background-fill-primary);
  border-bottom: 1px solid var(--border-color-primary); }
.qa-doc-title { font-weight: 700; font-size: 1.05rem; }
.qa-doc-text { white-space: pre-wrap; margin-top: 8px; }
.qa-doc-empty { color: var(--body-text-color-subdued); font-style: italic; }
.qa-notice, .qa-error, .qa-standalone { color: var(--body-text-color-subdued); }
#qa-docpanel { max-height: 75vh; overflow-y: auto !important; border: 1px solid var(--border-color-primary);
  border-radius: 8px; padding: 10px 14px; background: var(--background-fill-primary); }
"""
