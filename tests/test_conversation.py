"""The conversation as retrieval reads it (`qa.conversation.history`), the history format with and without
citations, and the turns an answer adds (`Answer.history_turns`). Logic only: a stub index."""

from __future__ import annotations

from qa.answer import REFUSAL, Answer, Citation
from qa.conversation.history import Conversation, clean_history, question_with_context

TEXT = "Ketamine was given at 0.8 mg/kg over 40 minutes. Patients were followed for 6 months."


class StubIndex:
    def document(self, source: str):
        return {"text": TEXT} if source == "trial.md" else None


def test_plain_history_gives_the_exchanges_newest_first():
    history = [
        {"role": "user", "content": "Who led the trial?"},
        {"role": "assistant", "content": "Dakwar et al. led it. [1]"},
        {"role": "user", "content": "Where was it published?"},
        {"role": "assistant", "content": "Am J Psychiatry [1]"},
    ]
    conversation = Conversation.of(clean_history(history))
    assert conversation.exchanges == ["Where was it published? Am J Psychiatry", "Who led the trial? Dakwar et al. led it."]
    assert conversation.sources == []
    assert conversation.answers == ["Am J Psychiatry", "Dakwar et al. led it."]


def test_a_refusal_adds_only_its_question():
    history = [{"role": "user", "content": "What does it cost?"}, {"role": "assistant", "content": REFUSAL}]
    conversation = Conversation.of(clean_history(history))
    assert conversation.exchanges == ["What does it cost?"] and conversation.answers == [""]


def test_cited_passages_are_read_back_and_their_documents_kept_newest_first():
    history = [
        {"role": "user", "content": "What dose?"},
        {"role": "assistant", "content": "the dose [1]", "citations": [{"source": "other.md", "start": 0, "end": 5}]},
        {"role": "user", "content": "How long?"},
        {"role": "assistant", "content": "followed [1]", "citations": [{"source": "trial.md", "start": 49, "end": 85}]},
    ]
    conversation = Conversation.of(clean_history(history), StubIndex())
    assert conversation.exchanges[0] == "How long? followed Patients were followed for 6 months."
    assert conversation.answers == ["followed", "the dose"]  # as said: the passages read back are not the answer's words
    assert conversation.sources == ["trial.md", "other.md"]


def test_only_the_latest_exchanges_count():
    history = []
    for n in range(5):
        history += [{"role": "user", "content": f"question {n}"}, {"role": "assistant", "content": f"answer {n}"}]
    assert Conversation.of(clean_history(history), max_exchanges=2).exchanges == ["question 4 answer 4", "question 3 answer 3"]


def test_clean_history_keeps_well_formed_citations_and_drops_the_rest():
    history = [
        {"role": "user", "content": "q", "citations": [{"source": "a.md", "start": 0, "end": 3}]},  # users cite nothing
        {"role": "assistant", "content": "a", "citations": [{"source": "a.md", "start": 0, "end": 3}, "junk", {"start": 1}]},
        {"role": "assistant", "content": "b", "citations": [{"source": "b.md", "start": "x", "end": None}]},
        {"role": "system", "content": "ignored"},
        "not a turn",
        {"role": "assistant", "content": 42},
    ]
    cleaned = clean_history(history)
    assert cleaned == [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a", "citations": [{"source": "a.md", "start": 0, "end": 3}]},
        # a citation without a usable span still names the document being discussed
        {"role": "assistant", "content": "b", "citations": [{"source": "b.md", "start": 0, "end": 0}]},
    ]


def test_a_span_outside_the_document_adds_no_text():
    history = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "a", "citations": [{"source": "trial.md", "start": 10, "end": 10_000}]},
    ]
    conversation = Conversation.of(clean_history(history), StubIndex())
    assert conversation.exchanges == ["q a"] and conversation.sources == ["trial.md"]


def test_an_answer_adds_its_question_and_its_citations_to_the_history():
    citation = Citation(n=1, source="trial.md", title="Trial", quote="0.8 mg/kg", start=22, end=31, score=3.0)
    answer = Answer(question="What dose?", standalone_question="What dose?", answer="0.8 mg/kg [1]", refused=False, citations=[citation])
    assert answer.history_turns() == [
        {"role": "user", "content": "What dose?"},
        {"role": "assistant", "content": "0.8 mg/kg [1]", "citations": [{"source": "trial.md", "start": 22, "end": 31}]},
    ]
    assert answer.to_dict()["history_turns"] == answer.history_turns()


def test_a_refusal_adds_no_citations_to_the_history():
    answer = Answer(question="What does it cost?", standalone_question="What does it cost?", answer=REFUSAL, refused=True)
    assert answer.history_turns()[1] == {"role": "assistant", "content": REFUSAL}


def test_a_refused_exchange_adds_only_words_the_documents_hold():
    has = lambda token: token != "cost"  # noqa: E731 - the documents never mention cost
    exchanges = ["How much does the infusion cost? It is given over 40 minutes by a nurse in a clinic."]
    scored = question_with_context("What dose is used for it?", exchanges, [True], has, limit=40)
    assert scored == "What dose is used for it? How much does the infusion It is given"
    assert question_with_context("Why?", [], [], has, limit=40) == "Why?"


def test_an_answered_exchange_adds_all_its_words_whatever_the_documents_hold():
    # Over one short document most words of a fair exchange are absent: dropped, it would read "So did she him?".
    has = lambda token: token not in ("punish", "yes")  # noqa: E731
    scored = question_with_context("How?", ["So did she punish him? Yes"], [False], has, limit=100)
    assert scored == "How? So did she punish him? Yes"


def test_the_conversation_says_which_exchanges_were_refused_or_cite_only_removed_documents():
    history = [
        {"role": "user", "content": "What does it cost?"},
        {"role": "assistant", "content": REFUSAL},
        {"role": "user", "content": "How many stripes did the zebrafish study count?"},
        {"role": "assistant", "content": "41 stripes. [1]", "citations": [{"source": "zebrafish.md", "start": 0, "end": 5}]},
        {"role": "user", "content": "How long was the infusion?"},
        {"role": "assistant", "content": "40 minutes. [1]", "citations": [{"source": "trial.md", "start": 0, "end": 20}]},
        {"role": "user", "content": "Who led the trial?"},
        {"role": "assistant", "content": "Dakwar et al. led it."},
    ]
    conversation = Conversation.of(clean_history(history), StubIndex(), max_exchanges=4)
    assert conversation.unbacked == [False, False, True, True]
