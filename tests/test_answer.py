"""qa.answer: the `Answer` / `Citation` JSON contract and the `REFUSAL` constant."""

from __future__ import annotations

import json

import numpy as np

import qa
from qa.answer import REFUSAL, Answer, Citation

CONTRACT_KEYS = {
    "question", "standalone_question", "answer", "refused", "citations", "timings", "notices", "dropped", "related",
    "unmentioned", "searched_with", "history_turns",
}
CITATION_KEYS = {"n", "source", "title", "quote", "start", "end", "score"}


def make_citation(**overrides) -> Citation:
    values = dict(
        n=1,
        source="ketamine-sud-evidence-by-condition.txt",
        title="Evidence",
        quote="three IV ketamine infusions (0.8 mg/kg over 40 minutes)",
        start=312,
        end=368,
        score=np.float32(7.050912),
    )
    values.update(overrides)
    return Citation(**values)


def test_answer_to_dict_has_exactly_the_contract_keys():
    answer = Answer(question="q", standalone_question="q", answer="a [1]", refused=False, citations=[make_citation()])
    assert set(answer.to_dict()) == CONTRACT_KEYS


def test_answer_to_dict_values():
    answer = Answer(
        question="What about cocaine?",
        standalone_question="What dose of ketamine was used in the cocaine trial?",
        answer="x [1]",
        refused=False,
        citations=[make_citation(), make_citation(n=2, start=0, end=5, quote="three")],
        timings={"retrieve_ms": 12.3456, "rerank_ms": 100.0, "answer_ms": 0.004, "total_ms": 112.35},
        notices=["fell back"],
    )
    data = answer.to_dict()
    assert data["question"] == "What about cocaine?"
    assert data["standalone_question"] == "What dose of ketamine was used in the cocaine trial?"
    assert data["answer"] == "x [1]"
    assert data["refused"] is False
    assert [c["n"] for c in data["citations"]] == [1, 2]
    assert data["timings"] == {"retrieve_ms": 12.35, "rerank_ms": 100.0, "answer_ms": 0.0, "total_ms": 112.35}
    assert data["notices"] == ["fell back"]
    assert data["notices"] is not answer.notices  # a copy
    assert json.loads(json.dumps(data)) == data  # plain JSON, numpy scores included


def test_citation_to_dict():
    data = make_citation(references=[{"n": 2, "text": "[2] Grabski"}], passage_start=148, passage_end=709).to_dict()
    assert CITATION_KEYS <= set(data)
    assert data == {
        "n": 1,
        "source": "ketamine-sud-evidence-by-condition.txt",
        "title": "Evidence",
        "quote": "three IV ketamine infusions (0.8 mg/kg over 40 minutes)",
        "start": 312,
        "end": 368,
        "score": 7.0509,
        "passage_start": 148,
        "passage_end": 709,
        "references": [{"n": 2, "text": "[2] Grabski"}],
        "page": None,
    }
    assert type(data["score"]) is float


def test_defaults_are_not_shared_between_instances():
    first = Answer(question="a", standalone_question="a", answer=REFUSAL, refused=True)
    second = Answer(question="b", standalone_question="b", answer=REFUSAL, refused=True)
    first.citations.append(make_citation())
    first.notices.append("x")
    first.timings["total_ms"] = 1.0
    assert (second.citations, second.notices, second.timings) == ([], [], {})
    assert make_citation().references is not make_citation().references


def test_a_refusal_serialises_with_no_citations():
    data = Answer(question="hello", standalone_question="hello", answer=REFUSAL, refused=True).to_dict()
    assert data == {
        "question": "hello",
        "standalone_question": "hello",
        "answer": REFUSAL,
        "refused": True,
        "citations": [],
        "timings": {},
        "notices": [],
        "dropped": [],
        "related": [],
        "unmentioned": [],
        "searched_with": [],
        "history_turns": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": REFUSAL}],
    }


def test_refusal_is_one_constant_sentence():
    assert isinstance(REFUSAL, str) and REFUSAL.strip() == REFUSAL
    assert len(REFUSAL) > 20
    assert REFUSAL.endswith(".") and REFUSAL.count(". ") == 0 and "\n" not in REFUSAL
    assert "documents" in REFUSAL
    assert qa.REFUSAL is REFUSAL and qa.Answer is Answer and qa.Citation is Citation


def test_quotes_are_numbered_by_span_in_order_of_appearance():
    from qa.answer import QuoteNumbers

    number = QuoteNumbers()
    assert [number("a.txt", 0, 10), number("a.txt", 12, 20), number("b.txt", 0, 10), number("a.txt", 0, 10)] == [1, 2, 3, 1]


def test_the_words_no_document_uses_are_named_in_one_line():
    from qa.answer import unmentioned_line

    assert unmentioned_line(["methamphetamine"]) == "The documents never use the word “methamphetamine”."
    assert unmentioned_line(["course", "cost"]) == "The documents never use the words “course” or “cost”."
    assert unmentioned_line(["a", "b", "c"]) == "The documents never use the words “a”, “b” or “c”."
    data = Answer(question="q", standalone_question="q", answer=REFUSAL, refused=True, unmentioned=["cost"]).to_dict()
    assert data["unmentioned"] == ["cost"]
