"""The support check's contradiction veto (`qa.eval.support`, test (c)): logic with a fake head, then the shipped head."""

from __future__ import annotations

import math

import pytest

from conftest import CORPUS
from qa.eval.support import sentence_support

PASSAGE = "The primary challenge in treating AUD is maintaining sobriety after detox. Relapse is common."


class FakeReader:
    """Relevance 9.0 for every pair; the head reads "before" as a contradiction (-8.0), else 4.0."""

    def __call__(self, pairs):
        return [9.0] * len(pairs)

    def head(self, pair):
        return -8.0 if "before" in pair[0] else 4.0


@pytest.fixture
def head_alone(monkeypatch):
    """The check without its word readings (d)-(k), which read "before" against "after" themselves."""
    from qa.eval import support

    monkeypatch.setattr(support, "OPPOSITE_READINGS", ())


def test_a_claim_the_head_reads_as_contradicting_fails_with_the_words_side_by_side(head_alone):
    result = sentence_support("Maintaining sobriety before detox is the primary challenge in treating AUD.", [PASSAGE], scorer=FakeReader(), veto_below=-3.0)
    assert not result.supported
    assert result.reason.startswith("reads as contradicting its evidence (support head -8.0 < -3.0)")


def test_the_veto_is_skipped_without_a_head_below_minus_infinity_and_for_a_word_for_word_quote(head_alone):
    claim = "Maintaining sobriety before detox is the primary challenge in treating AUD."
    assert sentence_support(claim, [PASSAGE], scorer=lambda pairs: [9.0] * len(pairs), veto_below=-3.0).supported
    assert sentence_support(claim, [PASSAGE], scorer=FakeReader(), veto_below=-math.inf).supported
    quote = "The primary challenge in treating AUD is maintaining sobriety before detox."
    assert sentence_support(quote, [quote], scorer=FakeReader(), veto_below=-3.0).supported


@pytest.fixture(scope="module")
def corpus_paragraphs():
    return [p for path in sorted(CORPUS.glob("*")) for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]


@pytest.mark.parametrize(
    "holds, claim, named",
    [
        ("safe and effective long-term", "More research is needed to determine if ketamine is a safe and ineffective long-term treatment for substance use disorders.", "ineffective"),
        ("sobriety after detox", "The primary challenge in treating AUD is maintaining sobriety before detox.", "before"),
    ],
)
def test_the_shipped_head_rejects_a_one_word_opposite_of_a_corpus_sentence(corpus_paragraphs, holds, claim, named, head_alone):
    passage = next(p for p in corpus_paragraphs if holds in p)
    result = sentence_support(claim, [passage])
    assert not result.supported and result.reason.startswith("reads as contradicting its evidence")
    assert f"claim: '" in result.reason and named in result.reason.split("claim: ", 1)[1]
    faithful = sentence_support(claim.replace("ineffective", "effective").replace("before", "after"), [passage])
    assert faithful.supported


def test_the_llm_gate_drops_a_generated_sentence_that_contradicts_its_passage(corpus_paragraphs):
    from ingest.sentences import split_sentences
    from ingest.store import StoredChunk
    from qa.compose.generative import check_sentence
    from qa.eval.support import default_scorer

    text = next(p for p in corpus_paragraphs if "sobriety after detox" in p)
    spans = tuple((s.start, s.end, s.kind) for s in split_sentences(text))
    passage = StoredChunk(id="aud:0", source="aud.txt", title="aud", text=text, start=0, end=len(text), sentences=spans, references=())
    dropped = check_sentence("The primary challenge in treating AUD is maintaining sobriety before detox [1].", [passage], default_scorer())
    kept = check_sentence("The primary challenge in treating AUD is maintaining sobriety after detox [1].", [passage], default_scorer())
    # dropped by a reading of the claim turned round or by the head's veto: either names the words
    assert not dropped.kept and "claim: 'before detox'" in dropped.reason and kept.kept
