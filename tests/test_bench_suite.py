"""bench.suite (smoke): ten kept-out cases of each dev set and of the golden set through the real
chain and models, on small indexes of just the documents those cases come from."""

from __future__ import annotations

import re
import shutil

import pytest

from bench.data.devsets import DEV, article_of, corpus_folder, load_set, select, split_of, topic_document
from bench.suite import by_answer_kind, by_history, run_set, summarise, table

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="the dev sets (../shared/data/dev) are not here")


def _small_index(tmp_path, name, documents):
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    corpus = tmp_path / f"{name}-corpus"
    corpus.mkdir()
    for document in documents:
        shutil.copy(corpus_folder(name) / document, corpus / document)
    index = tmp_path / f"{name}-idx"
    run_ingest([corpus], IngestSettings(index=index), progress=False)
    return index


def test_kept_out_cases_are_never_fit_cases():
    for name in ("squad2", "coqa"):
        cases = load_set(name)
        kept, fit = select(cases, "kept"), select(cases, "fit")
        assert kept and fit and not {c.id for c in kept} & {c.id for c in fit}
        assert len(kept) + len(fit) == len(cases)
    squad = load_set("squad2")
    # Split by article: no article has cases on both sides.
    sides = {}
    for case in squad[:600]:
        sides.setdefault(article_of(case), set()).add(split_of(case))
    assert all(len(side) == 1 for side in sides.values())


@pytest.mark.parametrize("name", ["shift", "inshift"])
def test_a_topic_shift_case_asks_a_squad_question_after_an_exchange_on_another_passage(name):
    """`shift`: after an exchange about another article; `inshift`: about another passage of its own."""
    squad = {case.id: case for case in load_set("squad2")}
    shifts = load_set(name)
    assert len(shifts) > 2000 and {case.kind for case in shifts} == {name}
    for shift in shifts[:50]:
        original = squad[shift.id]
        assert shift.question == original.question and shift.answers == original.answers
        earlier_question = shift.history[0]["content"]
        earlier = next(c for c in squad.values() if c.question == earlier_question and c.answerable)
        if name == "shift":
            assert earlier.gold_doc != original.gold_doc
        else:
            assert earlier.gold_doc == original.gold_doc and earlier.gold_text[0] != original.gold_text[0]
        assert split_of(shift) == split_of(original)


def test_a_follow_case_turns_a_name_the_exchange_named_into_a_pronoun():
    squad = {case.id: case for case in load_set("squad2")}
    follows = load_set("follow")
    assert len(follows) > 500
    assert 0.3 < sum(c.answerable for c in follows) / len(follows) < 0.7  # answerable or not, like squad2
    for follow in follows[:50]:
        original = squad[follow.id]
        assert follow.answerable == original.answerable and follow.answers == original.answers
        assert follow.question != original.question
        assert {"it", "they", "them"} & set(re.findall(r"[\w=]+", follow.question)), follow.question
        earlier = next(c for c in squad.values() if c.question == follow.history[0]["content"] and c.answerable)
        assert article_of(earlier) == article_of(original) and split_of(follow) == split_of(original)


def test_a_swap_case_asks_about_a_word_its_article_never_uses():
    from bench.data.swap_set import _article_words

    squad = {c.id: c for c in load_set("squad2")}
    swaps = load_set("swap")
    assert len(swaps) > 2000 and not any(c.answerable for c in swaps)
    for swap in swaps[:50]:
        original = squad[swap.id.removesuffix("|swap")]
        old, new = swap.extra["swapped"]
        assert original.answerable and old in original.question and new in swap.question
        assert swap.question == original.question.replace(old, new, 1)
        assert new.lower() not in _article_words()[article_of(original)]
        assert old[:1].isupper() == new[:1].isupper()
        assert split_of(swap) == split_of(original)


def test_a_name_becomes_a_pronoun_only_where_it_stands_alone():
    from bench.data.follow_set import as_pronoun

    assert as_pronoun("When did Hitler order the annihilation of Warsaw?", "Warsaw") == "When did Hitler order the annihilation of it?"
    assert as_pronoun("Where did the Huguenots settle?", "Huguenots") == "Where did they settle?"
    assert as_pronoun("Who persecuted the Huguenots in 1685?", "Huguenots") == "Who persecuted them in 1685?"
    assert as_pronoun("When did Hitler order the annihilation of the Warsaw Ghetto?", "Warsaw") is None
    assert as_pronoun("Who was a prominent Huguenot in Holland?", "Huguenot") is None
    assert as_pronoun("Warsaw is where?", "Warsaw") is None  # nothing before it to lean on
    assert as_pronoun("When did Warsaw area enlargement take place?", "Warsaw") is None
    assert as_pronoun("What did Newcomen's engine pump?", "Newcomen's") is None


def test_the_casual_questions_are_kept_out_and_their_facts_are_the_documents_words():
    cases = load_set("casual")
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in corpus_folder("casual").glob("*.txt")).lower()
    assert len({c.id for c in cases}) == len(cases) >= 60
    assert all(split_of(c) == "kept" and len(c.turns) == 1 for c in cases)
    answerable = [c for c in cases if c.answerable]
    assert 0.4 < len(answerable) / len(cases) < 0.7
    for case in cases:
        assert bool(case.must_include) == case.answerable, case.id
        assert all(fact.lower() in corpus for fact in case.must_include), case.id


def test_the_chat_set_asks_each_casual_question_after_the_one_before_it():
    casual, chat = load_set("casual"), load_set("chat")
    assert [c.id for c in chat] == [c.id for c in casual]
    for before, case, asked in zip([casual[-1]] + casual[:-1], casual, chat):
        assert asked.turns == (before.question, case.question) and asked.history is None
        assert (asked.answerable, asked.must_include, split_of(asked)) == (case.answerable, case.must_include, "kept")
    assert corpus_folder("chat") == corpus_folder("casual")


def test_names_of_a_question_come_in_one_order_whatever_the_hash_seed():
    from bench.data.follow_set import _names

    # Longest first; "Tesla" and "Paris" are as long: the set they pass through would order them by
    # the process's hash seed.
    assert _names("Did Tesla or Edison build the first dynamo in Paris?") == ["Edison", "Paris", "Tesla"]


@pytest.mark.parametrize("name", ["squad2", "coqa", "medquad", "golden", "shift", "follow", "casual", "chat"])
def test_suite_runs_ten_cases_of_each_set(tmp_path, name):
    kinds = {"coqa-followup"} if name == "coqa" else None
    cases = select(load_set(name), "kept", 10, kinds)
    if name in ("golden", "casual", "chat"):
        documents = [p.name for p in corpus_folder(name).iterdir()]
    elif name in ("shift", "follow"):  # the articles of the questions and of the exchanges before them
        before = {c.question: c for c in load_set("squad2")}
        documents = sorted({article_of(c) for c in cases} | {article_of(before[c.history[0]["content"]]) for c in cases})
    elif name == "medquad":  # the pages the questions are about (an absent topic has none)
        documents = sorted({topic_document(c) for c in cases if topic_document(c)})
    else:
        documents = sorted({article_of(c) if name == "squad2" else c.gold_doc[0] for c in cases})
    outcomes = run_set(name, "kept", 10, kinds=kinds, progress=False, index=_small_index(tmp_path, name, documents))
    assert [o.case.id for o in outcomes] == [c.id for c in cases]
    figures = summarise(outcomes)
    assert figures["cases"] == 10 and figures["p50_ms"] > 0
    answered = [o for o in outcomes if not o.refused]
    assert answered, "every case refused"
    assert figures["hit"] is not None and figures["hit"] > 0
    assert all(o.answer and o.sources for o in answered)
    assert all(o.answer == "" and not o.sources for o in outcomes if o.refused)
    lines = table({name: figures})
    assert lines[2].startswith(f"| {name} | 10 |")
    if name != "squad2":
        assert by_history(outcomes)[2].startswith("| ")
    if name == "coqa":
        assert sum(int(line.split("|")[2]) for line in by_answer_kind(outcomes)[2:]) == 10


def test_an_unknown_set_is_an_error_that_names_the_sets(capsys):
    from bench.suite import main

    with pytest.raises(SystemExit) as exit_:
        main(["squad3"])
    assert exit_.value.code == 2 and "the sets are: squad2, coqa, medquad, golden, shift, inshift, follow, swap" in capsys.readouterr().err


def test_a_medquad_near_miss_question_is_about_the_page_its_title_names():
    near_miss = [c for c in load_set("medquad") if c.kind == "medquad-nearmiss"]
    found = [(c, topic_document(c)) for c in near_miss]
    assert sum(page is not None for _, page in found) >= 0.9 * len(near_miss)
    for case, page in found[:50]:
        if page:
            title = (corpus_folder("medquad") / page).read_text(encoding="utf-8").splitlines()[0]
            assert title.lower() in case.question.lower()
    assert all(topic_document(c) is None for c in load_set("medquad") if c.kind == "medquad-absent")


def test_single_document_mode_asks_each_case_on_its_own_document(tmp_path, monkeypatch):
    import bench.data.single_doc

    monkeypatch.setattr(bench.data.single_doc, "CACHE", tmp_path)
    outcomes = run_set("coqa", "kept", 3, kinds={"coqa-followup"}, progress=False, single_doc=True)
    assert len(outcomes) == 3
    for outcome in outcomes:
        folder = tmp_path / "single" / "coqa" / outcome.case.gold_doc[0].rsplit(".", 1)[0]
        assert (folder / "manifest.json").exists()
        assert set(outcome.sources) <= set(outcome.case.gold_doc)


def test_single_document_mode_asks_a_topic_shift_over_its_two_articles():
    from bench.data.single_doc import small_index_documents

    squad = {c.question: c for c in load_set("squad2")}
    for shift in select(load_set("shift"), "kept", 20):
        before = squad[shift.history[0]["content"]]
        assert small_index_documents(shift) == tuple(sorted({article_of(before), article_of(shift)}))
        assert len(small_index_documents(shift)) == 2


def test_the_wording_variants_change_what_they_say_and_nothing_else():
    from bench.wording import lower_without_mark, with_typo

    assert lower_without_mark("Is Ketamine approved? ") == "is ketamine approved"
    question = "Is ketamine approved for alcohol use disorder?"
    typo = with_typo(question, "seed")
    assert typo != question and len(typo) == len(question)
    changed = [(a, b) for a, b in zip(question.split(), typo.split()) if a != b]
    assert len(changed) == 1 and sorted(changed[0][0]) == sorted(changed[0][1]) and len(changed[0][0].strip("?")) >= 6
    assert with_typo(question, "seed") == typo  # fixed by the seed
    assert with_typo("Who is he?", "seed") is None
