"""bench.reliability.load logic without an app or models: the history-leak check, malformed answers, the
latency and throughput aggregation, and the session loop stopping by count, by time and on errors."""

from __future__ import annotations

import json
import math

import pytest

from bench.reliability.load import SessionResult, percentile, run_session, summarize
from bench.reliability.session_checks import (
    Conversation,
    foreign_words,
    history_problem,
    load_conversations,
    malformed,
)

COCAINE = Conversation("cocaine", "Who led the cocaine trial?", "In which journal was it published?")
AUD = Conversation("aud", "What did the 2022 alcohol trial find?", "How many people were in it?")
CONVERSATIONS = [COCAINE, AUD]


def answer(question: str, standalone: str | None = None, text: str = "An answer. [1]") -> dict:
    return {
        "question": question, "standalone_question": standalone or question, "answer": text, "refused": False,
        "citations": [], "timings": {"total_ms": 1.0},
        "history_turns": [{"role": "user", "content": question}, {"role": "assistant", "content": text}],
    }


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def condensing_ask(clock: FakeClock, step: float = 1.0, calls: list | None = None):
    """A fake /ask that takes `step` seconds and condenses a follow-up with its own history."""

    def ask(question: str, history: str) -> dict:
        clock.now += step
        if calls is not None:
            calls.append((question, history))
        turns = json.loads(history) if history else []
        context = " ".join(t["content"] for t in turns if t["role"] == "user")
        return answer(question, f"{question} ({context})" if context else question)

    return ask


# -- the leak check --------------------------------------------------------------------------------


def test_a_follow_up_condensed_with_its_own_history_passes():
    foreign = foreign_words(COCAINE, CONVERSATIONS)
    assert history_problem("In which journal was it published? (led cocaine trial)", COCAINE, foreign) is None


def test_words_of_another_conversation_are_a_leak():
    foreign = foreign_words(COCAINE, CONVERSATIONS)
    assert history_problem("In which journal was it published? (2022 alcohol trial find)", COCAINE, foreign) == "leak"


def test_a_follow_up_without_its_first_turn_lost_its_history():
    foreign = foreign_words(COCAINE, CONVERSATIONS)
    assert history_problem("In which journal was it published?", COCAINE, foreign) == "lost"


def test_shared_words_are_neither_foreign_nor_proof():
    # "trial" is in both first turns: it cannot show a leak, and the follow-up's own words prove nothing.
    assert "trial" not in foreign_words(AUD, CONVERSATIONS)
    assert history_problem("How many people were in it?", AUD, foreign_words(AUD, CONVERSATIONS)) == "lost"


def test_the_golden_follow_ups_make_conversations():
    conversations = load_conversations()
    assert len(conversations) >= 5
    for conversation in conversations:
        assert conversation.first != conversation.follow_up
        assert foreign_words(conversation, conversations)


@pytest.mark.parametrize(
    "value, reason",
    [
        (None, "not a dict"),
        ("text", "not a dict"),
        ({**answer("Q"), "standalone_question": None}, "standalone_question"),
        ({k: v for k, v in answer("Q").items() if k != "citations"}, "citations"),
        ({**answer("Q"), "refused": "no"}, "refused"),
        (answer("Another question?"), "another question"),
    ],
)
def test_malformed_answers(value, reason):
    assert reason in malformed(value, "Q")


def test_a_well_formed_answer():
    assert malformed(answer("Q"), "Q") is None


# -- aggregation -----------------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    values = [40.0, 10.0, 30.0, 20.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 0) == 10.0 and percentile(values, 100) == 50.0
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_summarize_adds_sessions_and_divides_by_wall_time():
    one = SessionResult(latencies_ms=[10.0, 20.0], conversations=1, questions=2, leaks=1)
    two = SessionResult(latencies_ms=[30.0, 40.0, 100.0], conversations=1, questions=3, errors=1, lost=1, error_samples=["boom"])
    row = summarize(2, [one, two], seconds=2.5)
    assert (row["conversations"], row["questions"], row["errors"], row["leaks"], row["lost"]) == (2, 5, 1, 1, 1)
    assert row["p50_ms"] == 30.0
    assert row["p95_ms"] == pytest.approx(88.0)
    assert row["per_second"] == pytest.approx(2.0)
    assert row["samples"] == ["boom"]


# -- the bounded loop ------------------------------------------------------------------------------


def test_the_loop_stops_by_count():
    clock, calls = FakeClock(), []
    result = run_session(condensing_ask(clock, calls=calls), CONVERSATIONS, 0, deadline=1e9, max_questions=5, clock=clock)
    assert len(calls) == 4  # a fifth question would start a conversation it cannot finish
    assert (result.conversations, result.questions, result.errors, result.leaks, result.lost) == (2, 4, 0, 0, 0)
    assert result.latencies_ms == [1000.0] * 4


def test_the_loop_stops_by_time_but_finishes_its_conversation():
    clock = FakeClock()
    result = run_session(condensing_ask(clock, step=1.0), CONVERSATIONS, 0, deadline=4.5, max_questions=1000, clock=clock)
    assert clock.now == 6.0  # started at 4.0 (< 4.5), so the third conversation ran to its follow-up
    assert result.conversations == 3 and result.questions == 6


def test_each_conversation_sends_its_own_history():
    clock, calls = FakeClock(), []
    run_session(condensing_ask(clock, calls=calls), CONVERSATIONS, 1, deadline=1e9, max_questions=4, clock=clock)
    assert [q for q, _ in calls] == [AUD.first, AUD.follow_up, COCAINE.first, COCAINE.follow_up]
    assert calls[0][1] == "" and calls[2][1] == ""
    assert json.loads(calls[3][1])[0] == {"role": "user", "content": COCAINE.first}


def test_a_history_from_elsewhere_is_counted_as_a_leak():
    clock = FakeClock()

    def leaky_ask(question: str, history: str) -> dict:
        clock.now += 1
        return answer(question, f"{question} (2022 alcohol trial)" if history else question)

    result = run_session(leaky_ask, [COCAINE, AUD], 0, deadline=1e9, max_questions=2, clock=clock)
    assert result.leaks == 1 and result.conversations == 1
    assert summarize(1, [result], 1.0)["problem_ids"] == ["cocaine (leak)"]


def test_a_first_turn_with_words_from_elsewhere_is_a_leak():
    clock = FakeClock()
    good = condensing_ask(clock)

    def leaky_ask(question: str, history: str) -> dict:
        reply = good(question, history)
        return {**reply, "standalone_question": f"{question} (2022 alcohol)"} if not history else reply

    assert run_session(leaky_ask, [COCAINE, AUD], 0, deadline=1e9, max_questions=2, clock=clock).leaks == 1


def test_errors_are_counted_and_end_only_their_conversation():
    clock = FakeClock()
    good = condensing_ask(clock)

    def flaky_ask(question: str, history: str) -> dict:
        if question == COCAINE.first:
            clock.now += 1
            raise ConnectionError("app went away")
        if question == AUD.follow_up:
            clock.now += 1
            return {"question": question}  # malformed
        return good(question, history)

    result = run_session(flaky_ask, CONVERSATIONS, 0, deadline=1e9, max_questions=6, clock=clock)
    assert result.errors == 4 and result.conversations == 0 and result.questions == 2
    assert "ConnectionError: app went away" in result.error_samples[0]


def test_the_loop_stops_when_told():
    import threading

    stop = threading.Event()
    stop.set()
    clock = FakeClock()
    assert run_session(condensing_ask(clock), CONVERSATIONS, 0, 1e9, 100, clock=clock, stop=stop).questions == 0
