"""ALCE-style citation metrics (Gao et al. 2023, "Enabling Large Language Models to Generate Text
with Citations"), with the support check of `qa.eval.support` as the judge instead of an NLI model.

What it does:
- `answer_sentences(answer)` cuts an answer into the statements it makes, each with the citation
  numbers that follow it;
- `cited_passages(answer, lookup)` finds, for each citation number, the passage it points to;
- `judge_answer(answer, lookup)` runs the support check on every statement (and, for precision,
  on each citation alone and on the others without it) and keeps the verdicts for a report;
- `citation_recall` and `citation_precision` turn those verdicts into the two ALCE scores.
`answer` is `Answer.to_dict()` (a dict with "answer", "refused", "citations"); `lookup(source)`
returns the stored text of a document (or None), e.g.
`lambda s: get_index(Settings(index=...)).document(s)["text"]`; a dict works too.
What it does not: check quotes against the stored text (see `metrics.quote_exactness`) or run
the system (see `qa.eval.runner`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ingest.sentences import split_sentences
from qa.eval.support import Scorer, SupportResult, default_scorer, sentence_support, strip_citation_markers
from qa.text.markers import shown

Lookup = Callable[[str], "str | None"] | Mapping

# Citation markers that close a sentence ("claim [1][2]." or "claim. [1]") or open the next one.
TRAILING_MARKERS = re.compile(r"((?:\s*\[\d{1,3}\])+)\s*([.!?]?)\s*$")
LEADING_MARKERS = re.compile(r"^(?:\[\d{1,3}\]\s*)+")


@dataclass(frozen=True)
class Statement:
    """One answer sentence: its text as shown (markers that belong to it kept) and the numbers of
    the citations that follow it (empty when uncited)."""

    text: str
    cited: tuple[int, ...]


@dataclass
class StatementVerdict:
    """The support check's verdicts on one statement."""

    text: str
    cited: tuple[int, ...]
    support: SupportResult
    # n -> whether citation n is precise (ALCE); all False when the statement is not supported.
    precise: dict[int, bool] = field(default_factory=dict)


@dataclass
class AnswerVerdict:
    statements: list[StatementVerdict]

    @property
    def recall(self) -> float | None:
        return citation_recall_of(self)

    @property
    def precision(self) -> float | None:
        return citation_precision_of(self)


def stored_text(lookup: Lookup, source: str) -> str | None:
    """The stored text of `source` from a lookup function or mapping (None when unknown)."""
    if isinstance(lookup, Mapping):
        return lookup.get(source)
    try:
        return lookup(source)
    except (KeyError, TypeError):
        return None


def answer_sentences(answer: dict) -> list[Statement]:
    """The statements of an answer, in order, each with the citation numbers that follow it.

    The extractive answerer writes each quote followed by " [n]" and puts list items on lines that
    start with "- ". A quote may itself contain "[5]"-style markers of the document's own
    bibliography ("... up to 2 weeks [5]. [1]") or start with one ("[1] American Psychiatric
    Association ..."), so the text is first cut along the citations it lists: each citation's
    "quote [n]" is looked for in order; what it covers is one statement citing n. Text between
    them (a generative answer, or anything the answerer added) is cut at sentence ends and line
    breaks; there, a run of markers that ends a sentence ("... claim. [1][2]" or "... claim [1].")
    gives its citations, and a sentence with none is uncited. Markers whose number matches no
    citation still count as citations (to a passage that does not exist). A refused answer has no
    statements.
    """
    if answer.get("refused"):
        return []
    text = answer.get("answer") or ""
    citations = answer.get("citations") or []
    statements: list[Statement] = []
    cursor = 0
    for citation in citations:
        # As quoteqa shows it (the document's markers as "(ref. 5)", `qa.text.markers`) or verbatim.
        for quote in dict.fromkeys((shown(citation["quote"]), citation["quote"])):
            piece = f"{quote} [{citation['n']}]"
            found = text.find(piece, cursor)
            if found >= 0:
                break
        if found < 0:
            continue
        _add_free_text(statements, text[cursor:found])
        statements.append(Statement(citation["quote"], (int(citation["n"]),)))
        cursor = found + len(piece)
    _add_free_text(statements, text[cursor:])
    return statements


def _add_free_text(statements: list[Statement], text: str) -> None:
    """Append the statements of answer text that is not a known "quote [n]" piece.

    Sentences are cut as the ingest splitter cuts documents (`ingest.sentences.split_sentences`:
    every line break ends one, a list marker is dropped, "et al." and "Am J Psychiatry. 2022;..."
    do not end one). A sentence's closing run of markers ("claim [1][2]." or "claim. [1]") gives
    its citations; a run that opens the next sentence ("claim. [1] Next ...") belongs to the one
    before (also when that one is a quote: "quote [2][1]"), except on a bibliography line
    ("[1] American Psychiatric Association ...").
    """
    for sentence in split_sentences(text):
        body = sentence.text_in(text)
        lead = LEADING_MARKERS.match(body)
        if lead and sentence.kind != "reference" and statements:
            last = statements.pop()
            statements.append(Statement(last.text, _merge(last.cited, _numbers(lead.group(0)))))
            body = body[lead.end() :]
        if not re.search(r"\w", strip_citation_markers(body)):
            continue  # list dashes, stray punctuation
        tail = TRAILING_MARKERS.search(body)
        cited: tuple[int, ...] = ()
        if tail:
            cited = _numbers(tail.group(1))
            body = body[: tail.start()] + tail.group(2)
        statements.append(Statement(body.strip(), cited))


def _merge(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    return first + tuple(n for n in second if n not in first)


def _numbers(markers: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for value in re.findall(r"\[(\d{1,3})\]", markers):
        if int(value) not in numbers:
            numbers.append(int(value))
    return tuple(numbers)


def cited_passages(answer: dict, lookup: Lookup) -> dict[int, list[str]]:
    """For each citation number, the text of the passage(s) it points to.

    A citation's passage is `stored_text[passage_start:passage_end]` of its source (the retrieved
    chunk that holds the quote). Several citations share a number when they quote one passage;
    their spans are collected once each, so a number that (unusually) covers two different spans
    gives both. A citation with no passage span, or whose document cannot be found, gives its
    quote's span instead when that is all there is (never an invented text): if even that fails,
    the number maps to no passage.
    """
    spans: dict[int, list[tuple[str, int, int]]] = {}
    for citation in answer.get("citations") or []:
        start, end = citation.get("passage_start", 0), citation.get("passage_end", 0)
        if not end > start:
            start, end = citation["start"], citation["end"]
        key = (citation["source"], start, end)
        spans.setdefault(int(citation["n"]), [])
        if key not in spans[int(citation["n"])]:
            spans[int(citation["n"])].append(key)
    passages: dict[int, list[str]] = {}
    for n, keys in spans.items():
        passages[n] = []
        for source, start, end in keys:
            text = stored_text(lookup, source)
            if text is not None and 0 <= start < end <= len(text):
                passages[n].append(text[start:end])
    return passages


class MemoScorer:
    """A scorer that scores each (sentence, passage) pair once: precision re-judges subsets, and
    a data set repeats sentences across answers. Share one across a run."""

    def __init__(self, scorer: Scorer):
        self._scorer, self._memo, self._heads = scorer, {}, {}

    @property
    def head(self):
        """The inner scorer's support head, memoised likewise (None when it has none)."""
        inner = getattr(self._scorer, "head", None)
        if inner is None:
            return None

        def head(pair: tuple[str, str]) -> float:
            if pair not in self._heads:
                self._heads[pair] = float(inner(pair))
            return self._heads[pair]

        return head

    @property
    def scored(self) -> dict[tuple[str, str], float]:
        """Every pair scored so far, with its score."""
        return dict(self._memo)

    def __call__(self, pairs):
        todo = [pair for pair in dict.fromkeys(pairs) if pair not in self._memo]
        if todo:
            for pair, score in zip(todo, self._scorer(todo)):
                self._memo[pair] = float(score)
        return [self._memo[pair] for pair in pairs]


def judge_answer(answer: dict, lookup: Lookup, scorer: Scorer | None = None, threshold: float | None = None) -> AnswerVerdict:
    """Support-check every statement of `answer` against the union of the passages it cites, and
    each citation of a supported multi-citation statement for precision (see the two metrics)."""
    scorer = scorer if isinstance(scorer, MemoScorer) else MemoScorer(scorer or default_scorer())
    extra = {} if threshold is None else {"threshold": threshold}
    passages = cited_passages(answer, lookup)
    verdicts = []
    for statement in answer_sentences(answer):
        known = all(n in passages and passages[n] for n in statement.cited)
        union = [p for n in statement.cited for p in passages.get(n, [])]
        if statement.cited and not known:
            unknown = [n for n in statement.cited if not passages.get(n)]
            support = SupportResult(False, f"cites a passage that does not exist: {unknown}", float("-inf"), [])
        else:
            support = sentence_support(statement.text, union, scorer=scorer, **extra)
        verdict = StatementVerdict(statement.text, statement.cited, support)
        if support.supported:
            for n in statement.cited:
                if len(statement.cited) == 1:
                    verdict.precise[n] = True
                    continue
                alone = sentence_support(statement.text, passages[n], scorer=scorer, **extra)
                others = [p for m in statement.cited if m != n for p in passages[m]]
                rest = sentence_support(statement.text, others, scorer=scorer, **extra)
                verdict.precise[n] = alone.supported or not rest.supported
        else:
            verdict.precise = {n: False for n in statement.cited}
        verdicts.append(verdict)
    return AnswerVerdict(verdicts)


def citation_recall_of(verdict: AnswerVerdict) -> float | None:
    """Share of statements supported by the union of their cited passages (None: no statements)."""
    if not verdict.statements:
        return None
    return sum(s.support.supported and bool(s.cited) for s in verdict.statements) / len(verdict.statements)


def citation_precision_of(verdict: AnswerVerdict) -> float | None:
    """Share of citations that are precise (None: no citations)."""
    marks = [precise for s in verdict.statements for precise in s.precise.values()]
    if not marks:
        return None
    return sum(marks) / len(marks)


def citation_recall(answer: dict, lookup: Lookup, scorer: Scorer | None = None) -> float | None:
    """ALCE citation recall of one answer, judged by the support check.

    Every statement (see `answer_sentences`) scores 1 when it cites at least one passage and the
    union of its cited passages supports it (`sentence_support` over all of them), else 0; an
    uncited statement scores 0. The answer's recall is the mean over its statements. A refusal has
    no statements and no recall (None): average it out, do not count it as 0 — refusing is judged
    by `refusal_accuracy`. Over a data set, ALCE averages the per-answer values.

    Unlike ALCE's NLI judge reading the concatenated passages, the support check judges passage by
    passage: the union supports a statement when one of its passages does. A statement that
    combines facts of two passages is therefore unsupported — with quoted sentences that never
    happens, and a generated answer should state them apart, each with its citation.
    """
    return judge_answer(answer, lookup, scorer).recall


def citation_precision(answer: dict, lookup: Lookup, scorer: Scorer | None = None) -> float | None:
    """ALCE citation precision of one answer, judged by the support check.

    A citation n of a statement is *irrelevant* (imprecise) when n alone does not support the
    statement AND the statement's other citations still support it without n. As in the ALCE
    code, precision is the share of precise citations, where every citation of a statement that
    its citations jointly fail to support is imprecise too, and a statement with one citation is
    precise exactly when it is supported. Numbers are counted once per statement. None when the
    answer has no citations (a refusal, or text with no markers: recall already scores that 0).
    """
    return judge_answer(answer, lookup, scorer).precision
