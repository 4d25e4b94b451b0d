"""Conversations on the project's corpus, with the real models and a persistent index: an elliptic
follow-up, a pronoun whose referent is only in the previous answer, a topic shift left alone, a
new subject of the same topic quoted from its own passage, a new question not drawn to the exchange
before it although both documents are the conversation's, a question that stands alone asked alone
when the exchange leads to a refusal, a follow-up after a refusal, and the
history with and without citations through `ask()` and the chat's turn handler."""

from __future__ import annotations

import pytest

from qa import ask
from qa_fixtures import corpus_index  # noqa: F401  (fixture)

SYMPTOMS = "What are the common symptoms of substance use disorders?"


def test_an_elliptic_follow_up_takes_its_subject_from_the_previous_exchange(corpus_index):
    assert ask("And the dose?", index=corpus_index).refused  # alone it asks about nothing in particular
    first = ask("What did the 2022 alcohol trial find?", index=corpus_index)
    follow_up = ask("And the dose?", first.history_turns(), index=corpus_index)
    assert not follow_up.refused
    assert "0.8 mg/kg" in follow_up.answer
    assert follow_up.searched_with, "the chat shows what the follow-up was searched with"


@pytest.mark.parametrize(
    ("earlier_question", "follow_up", "expected"),
    [
        ("What did the 2022 alcohol trial find?", "How many people did it include?", "96 people"),
        ("What did the 2023 systematic review conclude?", "How many people did it include?", "854 adults"),
        ("Which medication might patients with opioid use disorder transition to?", "Is it an opioid?", "non-opioid"),
    ],
)
def test_a_pronoun_is_resolved_from_the_previous_answer(corpus_index, earlier_question, follow_up, expected):
    # The question before names nothing; only the answer says what "it" is.
    answer = ask(earlier_question, index=corpus_index).history_turns()[1]
    history = [{"role": "user", "content": "Tell me about one of the studies."}, answer]
    result = ask(follow_up, history, index=corpus_index)
    assert not result.refused
    assert expected in result.citations[0].quote


def test_a_topic_shift_is_answered_as_if_asked_alone(corpus_index):
    first = ask("What dose was used in the alcohol trial?", index=corpus_index)
    alone = ask(SYMPTOMS, index=corpus_index)
    shifted = ask(SYMPTOMS, first.history_turns(), index=corpus_index)
    assert not shifted.refused
    assert [c.quote for c in shifted.citations] == [c.quote for c in alone.citations]
    assert {c.source for c in shifted.citations} == {"ketamine-substance-abuse-overview.txt"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who led the cocaine ketamine trial?", "Dakwar et al."),
        ("Is ketamine approved by the FDA for addiction?", "There is no FDA-approved medication"),
    ],
)
def test_a_new_subject_of_the_same_topic_is_quoted_from_its_own_passage(corpus_index, question, expected):
    # Over two documents on one topic every question leans on the exchange before it; the
    # question's own words must still choose its sentence, not the previous answer's.
    first = ask("What dose of ketamine was used in the alcohol trial?", index=corpus_index)
    result = ask(question, first.history_turns(), index=corpus_index)
    assert not result.refused
    assert expected in result.citations[0].quote
    assert "Grabski" not in result.answer


@pytest.mark.parametrize(
    ("earlier_question", "question", "expected"),
    [
        ("Who led the 2025 scoping review?", "How many infusions did the alcohol trial give?", "three IV ketamine infusions"),
        ("Which journal published the cocaine trial?", "How does ketamine reduce cravings?", "normalizing glutamate signaling"),
    ],
)
def test_over_two_documents_a_new_question_is_not_drawn_to_the_exchange_before_it(
    corpus_index, earlier_question, question, expected
):
    # Every document of this index is one the conversation is about, so where the question's own
    # best hits lie says nothing of whether it leans on the exchange: read as leaning, the first was
    # refused and the second quoted the cocaine trial's craving scores.
    first = ask(earlier_question, index=corpus_index)
    result = ask(question, first.history_turns(), index=corpus_index)
    assert not result.refused
    assert expected in result.citations[0].quote


@pytest.mark.parametrize(
    ("earlier_question", "question", "expected"),
    [
        ("is ketmaine helpful for alchol problems?", "What were the odds of relapse in the ketamine group?",
         "odds of relapse were significantly lower"),
        ("Why might ketamine reduce cravings?", "What are the signs of addiction?", "Strong cravings and preoccupation"),
    ],
)
def test_a_question_that_stands_alone_is_asked_alone_when_the_exchange_before_it_leads_to_a_refusal(
    corpus_index, earlier_question, question, expected
):
    # Both lean on the exchange before them (the corpus has one topic) and, scored with it beside
    # them, were refused; asked as first questions the documents answer them.
    first = ask(earlier_question, index=corpus_index)
    for retry, refused in ((False, True), (True, False)):
        result = ask(question, first.history_turns(), index=corpus_index, alone_retry=retry)
        assert result.refused is refused
    assert expected in result.citations[0].quote
    assert not result.searched_with, "the answer says it was searched without the conversation"


def test_an_unanswerable_question_mid_chat_stays_refused_when_asked_alone(corpus_index):
    first = ask("Is ketamine typically given with therapy?", index=corpus_index)
    result = ask("Does ketamine help with gambling addiction?", first.history_turns(), index=corpus_index)
    assert "alone_ms" in result.timings, "refused with its conversation, it was asked once more alone"
    assert result.refused


def test_a_follow_up_after_a_refusal_is_answered(corpus_index):
    first = ask("How much does a ketamine infusion for alcohol use disorder cost?", index=corpus_index)
    assert first.refused and "citations" not in first.history_turns()[1]
    # "cost", which the documents never mention, must not make the next question unanswerable too.
    follow_up = ask("What dose is used for it?", first.history_turns(), index=corpus_index)
    assert not follow_up.refused
    assert "0.8 mg/kg" in follow_up.answer


def test_history_with_and_without_citations(corpus_index):
    first = ask("Which trial combined ketamine with mindfulness-based therapy?", index=corpus_index)
    cited = first.history_turns()
    assert cited[1]["citations"] and cited[1]["citations"][0]["source"] == "ketamine-sud-evidence-by-condition.txt"
    plain = [{"role": turn["role"], "content": turn["content"]} for turn in cited]
    for history in (cited, plain):
        follow_up = ask("Were craving scores lower in that group?", history, index=corpus_index)
        assert not follow_up.refused
        assert "Craving scores were substantially lower in the ketamine group." in follow_up.answer
    # A cited passage is read back from the index, so even a bare "[1]" answer carries its words.
    bare = [cited[0], {"role": "assistant", "content": "[1]", "citations": cited[1]["citations"]}]
    follow_up = ask("Were craving scores lower in that group?", bare, index=corpus_index)
    assert "mindfulness-based therapy" in " ".join(follow_up.searched_with)


def test_the_chat_keeps_each_answers_citations_in_its_history(corpus_index, monkeypatch):
    monkeypatch.setenv("QUOTEQA_INDEX", str(corpus_index))
    import app

    *_, (_, chat, history, answer, _, _) = app.respond("What did the 2022 alcohol trial find?", [], [], 3)
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert history[1]["citations"][0]["source"] == "ketamine-sud-evidence-by-condition.txt"
    *_, (_, chat, history, answer, _, _) = app.respond("And the dose?", chat, history, 3)
    assert len(history) == 4 and "0.8 mg/kg" in answer["answer"]
    assert "with the conversation" in chat[-1]["content"]


def test_a_question_not_asked_leaves_the_box_and_the_history_alone():
    import gradio as gr

    import app

    updates = list(app.respond("   ", [], [{"role": "user", "content": "earlier"}], 3))
    assert len(updates) == 1
    box, chat, history, *_ = updates[0]
    # Setting the box again would overwrite a next question typed while the message arrived.
    assert isinstance(box, type(gr.skip()))
    assert "empty" in chat[-1]["content"] and history == [{"role": "user", "content": "earlier"}]
