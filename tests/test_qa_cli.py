"""`python -m qa`: in-process through `qa.__main__.main([...])`, and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from qa import REFUSAL
from qa.__main__ import main
from qa_fixtures import DAKWAR_SENTENCE, DOSE_QUESTION, DOSE_QUOTE, corpus_index  # noqa: F401  (fixture)

EVIDENCE = "ketamine-sud-evidence-by-condition.txt"
CONTRACT_KEYS = {
    "question", "standalone_question", "answer", "refused", "citations", "timings", "notices", "dropped", "related",
    "unmentioned", "searched_with", "history_turns",
}


@pytest.fixture(scope="module", autouse=True)
def qa_subprocess(corpus_index):
    """`python -m qa "…" --index DIR --json`, started before this module's first test so its cold start
    (imports, model loads) overlaps the in-process tests; `test_python_dash_m_qa_json_in_a_subprocess`
    collects it."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("QUOTEQA_INDEX", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "qa", DOSE_QUESTION, "--index", str(corpus_index), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.communicate()


def test_text_output_has_the_quote_and_its_source(corpus_index, capsys):
    assert main([DOSE_QUESTION, "--index", str(corpus_index)]) == 0
    out, err = capsys.readouterr()
    assert DOSE_QUOTE in out
    assert "\nSources:\n" in out
    assert "[1] " in out and f"{EVIDENCE}, characters " in out
    assert out.count(DOSE_QUOTE) == 1  # each quote once: in the answer, not again under Sources
    assert out.index("Sources:") > out.index(DOSE_QUOTE)  # the answer comes first
    assert err == ""
    assert main([DOSE_QUESTION, "--index", str(corpus_index), "--full"]) == 0
    full = capsys.readouterr().out
    assert full.count(DOSE_QUOTE) == 2 and "“A 2022 Phase 2 trial (Grabski et al." in full.split("Sources:")[1]


def test_json_output_with_history(corpus_index, tmp_path, capsys):
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            [
                {"role": "user", "content": "What treatment did patients receive in the alcohol use disorder trial?"},
                {"role": "assistant", "content": "Three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy [1]"},
            ]
        ),
        encoding="utf-8",
    )
    assert main(["What about cocaine?", "--index", str(corpus_index), "--history", str(history), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == CONTRACT_KEYS
    assert data["question"] == "What about cocaine?"
    assert data["standalone_question"] != data["question"]
    assert "cocaine" in data["standalone_question"] and "alcohol" not in data["standalone_question"]
    assert data["refused"] is False
    assert DAKWAR_SENTENCE in [citation["quote"] for citation in data["citations"]]
    for citation in data["citations"]:
        assert {"n", "source", "title", "quote", "start", "end", "score"} <= set(citation)
    assert {"retrieve_ms", "rerank_ms", "answer_ms", "total_ms"} <= set(data["timings"])


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_exits_2_with_a_message(corpus_index, capsys, question):
    assert main([question, "--index", str(corpus_index)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and "empty" in err


def test_a_too_long_question_exits_2(corpus_index, capsys):
    assert main(["x" * 2001, "--index", str(corpus_index)]) == 2
    assert "too long" in capsys.readouterr().err


def test_a_missing_index_exits_2_and_says_to_run_ingest(tmp_path, capsys):
    assert main([DOSE_QUESTION, "--index", str(tmp_path / "none"), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "python -m ingest" in err


@pytest.mark.parametrize(
    "content, message",
    [("not json", "cannot read the history file"), ('{"role": "user"}', "must hold a JSON list")],
)
def test_a_bad_history_file_exits_2(corpus_index, tmp_path, capsys, content, message):
    history = tmp_path / "history.json"
    history.write_text(content, encoding="utf-8")
    assert main([DOSE_QUESTION, "--index", str(corpus_index), "--history", str(history)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_history_file_exits_2(corpus_index, tmp_path, capsys):
    assert main([DOSE_QUESTION, "--index", str(corpus_index), "--history", str(tmp_path / "absent.json")]) == 2
    assert "cannot read the history file" in capsys.readouterr().err


def test_python_dash_m_qa_json_in_a_subprocess(qa_subprocess):
    stdout, stderr = qa_subprocess.communicate(timeout=300)
    assert qa_subprocess.returncode == 0, stderr
    data = json.loads(stdout)
    assert set(data) == CONTRACT_KEYS
    assert data["refused"] is False and data["answer"] != REFUSAL
    assert DOSE_QUOTE in data["answer"]
    assert data["citations"][0]["source"] == EVIDENCE


def test_a_malformed_llm_setting_exits_2_with_the_accepted_forms(corpus_index, capsys):
    assert main([DOSE_QUESTION, "--index", str(corpus_index), "--llm", "gpt-4"]) == 2
    assert "openai:MODEL@BASE_URL" in capsys.readouterr().err


def test_an_unreachable_llm_falls_back_to_quotes_with_a_notice(corpus_index, capsys):
    # Nothing listens on port 9 (and without langchain-openai the notice says how to install it).
    assert main([DOSE_QUESTION, "--index", str(corpus_index), "--llm", "openai:m@http://127.0.0.1:9/v1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert not data["refused"] and "0.8 mg/kg over 40 minutes" in data["answer"]
    assert len(data["notices"]) == 1 and data["notices"][0].startswith("LLM unavailable:")


def test_a_refusal_lists_the_closest_passages_apart_and_unnumbered():
    from qa.__main__ import render
    from qa.answer import RELATED_HEADING, Answer, Citation

    related = Citation(n=1, source="a.txt", title="A", quote="Ketamine was studied in 2019.", start=10, end=39, score=-1.0)
    text = render(Answer(question="q", standalone_question="q", answer=REFUSAL, refused=True, related=[related]))
    lines = text.splitlines()
    assert lines[0] == REFUSAL
    assert RELATED_HEADING in lines and "Sources:" not in lines
    assert "“Ketamine was studied in 2019.”" in text and "[1]" not in text


def test_a_refusal_names_the_words_no_document_uses_under_it():
    from qa.__main__ import render
    from qa.answer import Answer

    lines = render(Answer(question="q", standalone_question="q", answer=REFUSAL, refused=True, unmentioned=["vaping"])).splitlines()
    assert lines[:2] == [REFUSAL, "The documents never use the word “vaping”."]


def test_save_history_carries_a_conversation_with_its_citations_across_calls(corpus_index, tmp_path, capsys):
    history = tmp_path / "chat.json"  # created by the first call
    assert main(["What did the 2022 alcohol trial find?", "--index", str(corpus_index), "--history", str(history), "--save-history"]) == 0
    capsys.readouterr()
    turns = json.loads(history.read_text(encoding="utf-8"))
    assert [turn["role"] for turn in turns] == ["user", "assistant"]
    assert turns[1]["citations"][0]["source"] == EVIDENCE
    assert main(["And the dose?", "--index", str(corpus_index), "--history", str(history), "--save-history", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["refused"] is False and DOSE_QUOTE in data["answer"] and data["searched_with"]
    assert len(json.loads(history.read_text(encoding="utf-8"))) == 4


def test_save_history_without_a_history_file_exits_2(corpus_index, capsys):
    assert main([DOSE_QUESTION, "--index", str(corpus_index), "--save-history"]) == 2
    assert "--save-history needs --history FILE" in capsys.readouterr().err


def test_the_terminal_shows_each_quote_once_and_the_documents_markers_as_references():
    from qa.__main__ import render
    from qa.answer import Answer, Citation

    reference = {"n": 2, "text": "[2] DeWilde KE, et al. Ann N Y Acad Sci. 2015;1345:47-58.", "doi": None, "year": 2015}
    quote = "Reducing drug cravings by normalizing glutamate signaling [2]"
    citation = Citation(n=1, source="overview.txt", title="Substance Abuse", quote=quote, start=5, end=5 + len(quote),
                        score=7.0, references=[reference])
    answer = Answer(question="q", standalone_question="q", answer=f"{quote.replace('[2]', '(ref. 2)')} [1]", refused=False,
                    citations=[citation])
    text = render(answer)
    assert text.count("normalizing glutamate signaling") == 1
    assert "[1] Substance Abuse — overview.txt, characters 5-" in text
    assert "(ref. 2) DeWilde KE" in text and "[2]" not in text
    assert render(answer, full=True).count("normalizing glutamate signaling (ref. 2)") == 2


def test_a_document_opening_with_a_sentence_is_named_by_its_file():
    from qa.answer import document_label

    assert document_label("Substance Abuse", "a/overview.txt") == "Substance Abuse"
    assert document_label("Evidence for using ketamine to treat substance use disorders is still evolving.", "a/ev.txt") == "ev.txt"
    assert document_label("", "notes.md") == "notes.md"
