"""qa.answering: `ask()` given bad input - empty, not text, too long, symbol soup, other languages,
no index - answers, refuses or raises a clear error; asking never creates an index."""

from __future__ import annotations

import pytest

from ingest.store import IndexMissing
from qa import Answer
from qa.answering import ask, clean_question
from qa_fixtures import DOSE_QUESTION, assert_refusal, assert_verbatim, corpus_index  # noqa: F401


@pytest.mark.parametrize("question", ["", "   ", "\n\t ", "\x00\x01"])
def test_an_empty_question_is_a_value_error(corpus_index, question):
    with pytest.raises(ValueError, match="empty"):
        ask(question, index=corpus_index)


def test_a_question_that_is_not_text_is_a_value_error(corpus_index):
    with pytest.raises(ValueError, match="must be text"):
        ask(None, index=corpus_index)


def test_a_question_over_2000_characters_is_a_value_error(corpus_index):
    with pytest.raises(ValueError, match=r"too long \(2001 characters; the limit is 2000\)"):
        ask("a" * 2001, index=corpus_index)


def test_clean_question_limits():
    assert clean_question("x" * 2000, 2000) == "x" * 2000
    assert clean_question("  dose\x00 of\u200b ketamine\x7f?  ", 2000) == "dose of ketamine ?"


def test_a_question_of_exactly_2000_characters_is_answered_or_refused(corpus_index):
    question = (DOSE_QUESTION + " ") * 40
    answer = ask(question[:2000], index=corpus_index)
    assert isinstance(answer, Answer)


@pytest.mark.parametrize(
    "question",
    [
        "!!!??? ### @@@ ~~~ ¯\\_(ツ)_/¯ 💊💊 氯胺酮的剂量是多少？",
        "¿Qué dosis de ketamina se usó en el ensayo sobre el alcohol?",
    ],
)
def test_symbol_soup_and_other_languages_get_an_answer_or_a_refusal(corpus_index, question):
    answer = ask(question, index=corpus_index, rerank_depth=4)
    assert isinstance(answer, Answer)
    if answer.refused:
        assert_refusal(answer)
    else:
        assert answer.citations
        assert_verbatim(answer, corpus_index)


def test_a_missing_index_says_to_run_ingest(tmp_path):
    with pytest.raises(IndexMissing, match="python -m ingest"):
        ask(DOSE_QUESTION, index=tmp_path / "no-index")
    assert not (tmp_path / "no-index").exists()  # asking never creates an index


def test_an_empty_index_says_to_run_ingest(tmp_path):
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    (tmp_path / "docs").mkdir()
    run_ingest([tmp_path / "docs"], IngestSettings(index=tmp_path / "idx"), progress=False)
    with pytest.raises(IndexMissing, match="empty.*python -m ingest"):
        ask(DOSE_QUESTION, index=tmp_path / "idx")
