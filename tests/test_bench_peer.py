"""bench.peer with fake chat models and a fake embedder: the tutorial chain's reply and sources, its
refusal rule, and the metric aggregation on a hand-made set (no real model is loaded)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from bench.peer import Outcome, TutorialRAG, aggregate, is_refusal, markdown, run_quoteqa, run_tutorial
from qa.answer import Answer, Citation
from qa.compose.llm_answer import NOTHING_SURVIVED
from qa.eval.cases import Case


def fake_embed(texts: list[str]) -> np.ndarray:
    """Bag of hashed words, unit length: similar texts get similar vectors."""
    vectors = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in text.lower().split():
            vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def fake_llm(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=reply) for reply in replies]))


def case(id: str, answerable: bool = True, must_include=(), must_not_include=(), turns=("Q?",)) -> Case:
    return Case(id, "factual", tuple(turns), answerable, tuple(must_include), tuple(must_not_include), ())


@pytest.fixture
def corpus(tmp_path):
    topics = ["alcohol", "cocaine", "opioid", "cannabis"]
    for number, topic in enumerate(topics[:2]):
        sentences = [f"Sentence {i} says {topic} trial number {i} used dose {i} mg in group {number}." for i in range(60)]
        (tmp_path / f"{topic}.txt").write_text("\n".join(sentences), encoding="utf-8")
    return sorted(tmp_path.glob("*.txt"))


def test_tutorial_chain_returns_the_reply_and_four_sources(corpus):
    chain = TutorialRAG(fake_llm("The dose was 3 mg."), corpus, embed=fake_embed)
    assert len(chain.chunks) > 4  # the splitter made more chunks than are retrieved
    assert all(len(text) <= 1000 for _, text in chain.chunks)
    reply = chain.invoke("Which dose did the alcohol trial use?")
    assert reply["answer"] == "The dose was 3 mg."
    assert len(reply["sources"]) == 4
    assert all(source in [text for _, text in chain.chunks] for source in reply["sources"])


@pytest.mark.parametrize(
    "text, refused",
    [
        ("I don't know.", True),
        ("I don’t know the answer.", True),
        ("The context does not say, so I DO NOT KNOW.", True),
        ("I cannot answer that from the context.", True),
        ("The trial used 0.8 mg/kg.", False),
        ("It is well known that ketamine is an anaesthetic.", False),
    ],
)
def test_dont_know_replies_count_as_refusals(text, refused):
    assert is_refusal(text) is refused


def test_run_tutorial_asks_the_last_turn_and_skips_the_support_check_of_a_refusal(corpus):
    asked = []

    class Spy(TutorialRAG):
        def invoke(self, question):
            asked.append(question)
            return super().invoke(question)

    def no_scorer(pairs):
        raise AssertionError("a refusal has no sentences to check")

    chain = Spy(fake_llm("I don't know."), corpus, embed=fake_embed)
    [outcome] = run_tutorial(chain, [case("a", turns=("First?", "What about cocaine?"))], no_scorer)
    assert asked == ["What about cocaine?"]
    assert outcome.refused and outcome.supported == [] and len(outcome.seconds) == 1


def test_run_tutorial_checks_each_sentence_against_the_sources(corpus):
    chain = TutorialRAG(fake_llm("Sentence 3 says alcohol trial number 3 used dose 3 mg. The moon is made of 99 cheeses."), corpus, embed=fake_embed)
    [outcome] = run_tutorial(chain, [case("a")], lambda pairs: [10.0] * len(pairs))
    assert not outcome.refused
    assert outcome.supported == [True, False]  # "99" is in no chunk: the key-term test fails


def test_run_quoteqa_times_every_turn_and_checks_statements_against_cited_passages():
    stored = "Intro. The trial used 0.8 mg/kg over 40 minutes. Outro."
    quote = "The trial used 0.8 mg/kg over 40 minutes."
    start = stored.index(quote)
    asked = []

    def fake_ask(question, history, **overrides):
        asked.append((question, len(history), overrides))
        citation = Citation(1, "doc.txt", "Doc", quote, start, start + len(quote), 1.0, 0, len(stored))
        text = f"{quote} [1] The dose was 0.5 mg/kg. [1]"
        return Answer(question, question, text, False, [citation], notices=[NOTHING_SURVIVED], dropped=[{"sentence": "x"}])

    [outcome] = run_quoteqa([case("a", turns=("First?", "Then?"))], fake_ask, {"doc.txt": stored}, lambda pairs: [10.0] * len(pairs), llm="x")
    assert asked == [("First?", 0, {"llm": "x"}), ("Then?", 2, {"llm": "x"})]
    assert len(outcome.seconds) == 2
    assert outcome.supported == [True, False]  # "0.5 mg/kg" is not in the cited passage
    assert outcome.fallback and outcome.dropped == 1


def test_aggregate_gives_known_values_on_a_hand_made_set():
    outcomes = [
        # answerable, answered, 1 of 2 facts, one forbidden string, 2 of 3 sentences supported
        Outcome(case("a", True, ["0.8 mg/kg", "96"], ["Am J"]), "0.8 mg/kg, in Am J", False, [True, True, False], [1.0]),
        # answerable, refused wrongly: recall 0, no sentences
        Outcome(case("b", True, ["cocaine"]), "I don't know.", True, [], [3.0]),
        # unanswerable, refused rightly; lists a forbidden string it avoids
        Outcome(case("c", False, [], ["cannabis"]), "I don't know.", True, [], [2.0, 4.0]),
        # unanswerable, answered wrongly
        Outcome(case("d", False), "Something.", False, [True], [5.0], fallback=True, dropped=2),
    ]
    result = aggregate(outcomes)
    assert result["must_include_recall"] == pytest.approx(0.25)  # (0.5 + 0) / 2
    assert result["refusal_accuracy"] == pytest.approx(0.5)  # a and c right
    assert result["supported"] == pytest.approx(0.75) and result["sentences"] == 4
    assert result["forbidden_rate"] == pytest.approx(0.5)  # of the 2 cases listing forbidden strings
    assert result["p50_seconds"] == pytest.approx(3.0)  # median of 1, 3, 2, 4, 5
    assert (result["answered"], result["fallbacks"], result["dropped"]) == (2, 1, 2)


def test_aggregate_of_nothing_measurable_is_none_and_the_table_says_n_a():
    result = aggregate([Outcome(case("x", False), "I don't know.", True, [], [])])
    assert result["must_include_recall"] is None and result["supported"] is None and result["p50_seconds"] is None
    text = markdown({"tutorial RAG": result}, [case("x", False)], "fake", "python -m bench.peer", 2, 0.1)
    assert "| must_include recall (answerable) | n/a |" in text
    assert "| cases answered (not refused) | 0/1 |" in text
