"""qa.answering: `ask()` and `qa.chain` end to end, with the real embedder and cross-encoder on an
index of the corpus built for this session (bad input: `test_ask_bad_input.py`)."""

from __future__ import annotations

import pytest

from conftest import block_network
from qa import Answer
from qa.answering import QAChain, ask, chain
from qa.decision.policy import PERSONAL_ADVICE_NOTICE
from qa.search.index import get_index
from qa.settings import Settings
from qa_fixtures import (  # noqa: F401
    DAKWAR_SENTENCE,
    DOSE_QUESTION,
    DOSE_QUOTE,
    assert_refusal,
    assert_verbatim,
    corpus_index,
    loaded_index,
)

EVIDENCE = "ketamine-sud-evidence-by-condition.txt"
OFF_TOPIC = "What is the capital of France?"
TIMING_KEYS = {"retrieve_ms", "rerank_ms", "answer_ms", "total_ms"}
LIMITS_QUESTION = "What role does psychotherapy play alongside ketamine for treating addiction?"
# A wide quote margin (the default is tuned elsewhere) so this question gets several quotes.
WIDE = {"quote_margin": 4.0, "max_quotes": 3}


def user(text: str) -> dict:
    return {"role": "user", "content": text}


@pytest.fixture(scope="module")
def dose_answer(corpus_index) -> Answer:
    """The dose question through the Runnable (`ask()` wraps the same call; other tests use it)."""
    return chain.invoke({"question": DOSE_QUESTION, "settings": {"index": str(corpus_index)}})


@pytest.fixture(scope="module")
def batch_answers(corpus_index) -> list[Answer]:
    settings = {"index": str(corpus_index)}
    return chain.batch(
        [{"question": DOSE_QUESTION, "settings": settings}, {"question": LIMITS_QUESTION, "settings": {**settings, **WIDE}}]
    )


@pytest.fixture(scope="module")
def off_topic_stream(corpus_index) -> list[Answer]:
    return list(chain.stream({"question": OFF_TOPIC, "settings": {"index": str(corpus_index)}}))


@pytest.fixture(scope="module")
def off_topic_answer(off_topic_stream) -> Answer:
    return off_topic_stream[-1]


@pytest.fixture(scope="module")
def offline_answer(corpus_index) -> tuple[Answer, list[str]]:
    """`ask()` of a question with a control character, with every non-loopback connection blocked."""
    with block_network() as attempts:
        answer = ask("dose\x00 of ketamine in the alcohol trial?", index=corpus_index)
    return answer, attempts


# -- answers and refusals ----------------------------------------------------------------------------


def test_the_dose_question_quotes_the_grabski_trial(dose_answer, corpus_index):
    assert isinstance(dose_answer, Answer)
    assert dose_answer.refused is False
    assert DOSE_QUOTE in dose_answer.answer
    assert dose_answer.question == dose_answer.standalone_question == DOSE_QUESTION
    first = dose_answer.citations[0]
    assert first.n == 1 and first.source == EVIDENCE
    assert DOSE_QUOTE in first.quote and "Grabski" in first.quote
    assert dose_answer.notices == []
    assert TIMING_KEYS <= set(dose_answer.timings)
    assert all(value >= 0 for value in dose_answer.timings.values())
    assert_verbatim(dose_answer, corpus_index)


def test_the_dose_answer_serialises_to_the_contract(dose_answer):
    data = dose_answer.to_dict()
    assert set(data) == {
        "question", "standalone_question", "answer", "refused", "citations", "timings", "notices", "dropped", "related",
        "unmentioned", "searched_with", "history_turns",
    }
    for citation in data["citations"]:
        assert {"n", "source", "title", "quote", "start", "end", "score"} <= set(citation)


def test_an_off_topic_question_is_refused_without_sources(off_topic_answer):
    assert_refusal(off_topic_answer)
    assert off_topic_answer.notices == []
    assert off_topic_answer.unmentioned == []  # refused by the fitted decision: no word to name
    assert off_topic_answer.to_dict()["citations"] == []


def test_a_refusal_for_a_substance_no_document_names_says_so(corpus_index):
    # The documents cover alcohol, opioids and cocaine; the best passage ignores what this asks about.
    answer = ask("What did ketamine trials find for methamphetamine use disorder?", index=corpus_index)
    assert_refusal(answer)
    assert answer.unmentioned == ["methamphetamine"]
    assert answer.to_dict()["unmentioned"] == ["methamphetamine"]


def test_a_personal_dosing_request_is_declined_with_a_notice(corpus_index):
    answer = ask("How much ketamine should I take?", index=corpus_index)
    assert_refusal(answer)
    assert answer.notices == [PERSONAL_ADVICE_NOTICE]


def test_what_about_cocaine_follows_up_on_the_alcohol_trial(corpus_index):
    history = [
        None,  # junk turns are ignored, not fatal
        {"role": "system", "content": "ignore"},
        user("What treatment did patients receive in the alcohol use disorder trial?"),
        {"role": "assistant", "content": "Three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy [1]"},
    ]
    answer = ask("What about cocaine?", history=history, index=corpus_index)
    assert "cocaine" in answer.standalone_question and "alcohol" not in answer.standalone_question
    assert answer.refused is False
    assert DAKWAR_SENTENCE in [citation.quote for citation in answer.citations]
    assert_verbatim(answer, corpus_index)


def test_what_did_the_cocaine_trial_find_is_answered(corpus_index):
    # "find" is not in the corpus (it says "found"): a word the passages lack must not make it refuse
    answer = ask("What did the cocaine trial find?", index=corpus_index)
    assert answer.refused is False
    assert DAKWAR_SENTENCE in [citation.quote for citation in answer.citations]


def test_max_quotes_one_gives_one_quote(corpus_index, batch_answers):
    default = batch_answers[1]
    assert len(default.citations) >= 2
    answer = ask(LIMITS_QUESTION, index=corpus_index, **{**WIDE, "max_quotes": 1})
    assert len(answer.citations) == 1
    assert answer.citations[0].quote in [citation.quote for citation in default.citations]


def test_a_quoted_list_lead_in_brings_its_items_even_with_max_quotes_one(corpus_index):
    # max_quotes counts the sentences chosen by score; a list is quoted whole so it is not cut short.
    answer = ask("What are common symptoms of substance use disorders?", index=corpus_index, max_quotes=1, rerank_depth=4)
    quotes = [citation.quote for citation in answer.citations]
    assert quotes[0] == "Common symptoms include:"
    assert quotes[-1] == "Withdrawal symptoms when stopping use" and len(quotes) == 6


# -- the Runnable ------------------------------------------------------------------------------------


def _without_timings(answer: Answer) -> dict:
    data = answer.to_dict()
    data.pop("timings")
    return data


def test_chain_is_a_runnable(dose_answer):
    assert isinstance(chain, QAChain)
    assert DOSE_QUOTE in dose_answer.answer


def test_chain_batch(batch_answers, dose_answer):
    assert [type(answer) for answer in batch_answers] == [Answer, Answer]
    assert _without_timings(batch_answers[0]) == _without_timings(dose_answer)
    assert batch_answers[1].question == LIMITS_QUESTION and batch_answers[1].refused is False
    assert "ketamine plus psychotherapy may help promote abstinence" in batch_answers[1].answer


def test_chain_stream_yields_growing_answers(corpus_index, batch_answers):
    parts = list(chain.stream({"question": LIMITS_QUESTION, "settings": {"index": str(corpus_index), **WIDE}}))
    final = parts[-1]
    assert final.refused is False and len(final.citations) >= 2
    assert len(parts) == len(final.citations)
    for number, part in enumerate(parts, 1):
        assert len(part.citations) == number
        assert part.citations == final.citations[:number]
    texts = [part.answer for part in parts]
    assert all(len(a) < len(b) for a, b in zip(texts, texts[1:]))
    assert parts[0].answer == f"{final.citations[0].quote} [{final.citations[0].n}]"
    assert _without_timings(final) == _without_timings(batch_answers[1])  # the invoke of the same input


def test_chain_stream_of_a_refusal_is_one_answer(off_topic_stream):
    assert len(off_topic_stream) == 1
    assert_refusal(off_topic_stream[0])


def test_chain_rejects_other_input_types():
    with pytest.raises(ValueError, match="question string or a dict"):
        chain.invoke(42)


# -- offline -----------------------------------------------------------------------------------------


def test_control_characters_are_stripped(offline_answer):
    answer, _ = offline_answer
    assert answer.question == "dose of ketamine in the alcohol trial?"
    assert answer.refused is False
    assert DOSE_QUOTE in answer.answer


def test_ask_works_with_network_sockets_blocked(offline_answer):
    answer, attempts = offline_answer
    assert DOSE_QUOTE in answer.answer
    assert attempts == []  # nothing even tried to connect (libraries may swallow a refused connection)


def test_rerank_ranks_the_first_passages_by_their_whole_text(loaded_index):  # noqa: F811
    from qa.search.scoring import rerank_passages

    passages = [chunk for chunk in loaded_index.chunks if "0.8 mg/kg" not in chunk.text][:4]
    passages.insert(2, next(chunk for chunk in loaded_index.chunks if "0.8 mg/kg" in chunk.text))
    sentences, scores, ranked = rerank_passages(DOSE_QUESTION, passages, loaded_index, full_depth=1, whole_chunks=3)
    head = ranked[:3]
    assert {chunk.id for chunk, _ in head} == {chunk.id for chunk in passages[:3]}
    assert [score for _, score in head] == sorted((score for _, score in head), reverse=True)
    assert "0.8 mg/kg" in head[0][0].text  # the dose passage wins on its whole text
    assert {chunk.id for chunk, _ in ranked[3:]} == {chunk.id for chunk in passages[3:]}
    # Every sentence of the best passage is scored; below it, only sentences sharing a telling word.
    best = head[0][0]
    scored = {(c.chunk.source, c.start) for c in sentences}
    assert all((best.source, start) in scored for start, _, kind in best.sentences if kind == "text")
    assert len(sentences) == len(scores) < sum(len(chunk.sentences) for chunk in passages)


def test_an_on_topic_question_the_documents_do_not_answer_lists_related_passages_apart(corpus_index):
    answer = ask("How much does ketamine therapy cost?", index=corpus_index)
    assert_refusal(answer)
    assert 1 <= len(answer.related) <= Settings().related_passages
    index = get_index(Settings(index=corpus_index))
    for related in answer.related:
        assert index.document(related.source)["text"][related.start : related.end] == related.quote
        assert related.quote not in answer.answer
    assert answer.to_dict()["related"][0]["quote"] == answer.related[0].quote


def test_an_answer_lists_no_related_passages(dose_answer):
    assert dose_answer.refused is False and dose_answer.related == []


def test_the_decision_can_be_turned_off_for_one_call(corpus_index):
    answer = ask("How much does ketamine therapy cost?", index=corpus_index, answerability_threshold=0)
    assert answer.refused is False and answer.citations
