"""The Gradio app as a program sees it: `python app.py` in a child process, called with gradio_client.

Checks the `/ask` contract (citations, refusal without sources, history changing the standalone
question), bad input giving a clear error that leaves the app running, the escaping of the HTML
the chat shows, and the start-up failure when there is no index.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qa_ui import render
from qa_ui.process import ROOT, shared_app

ALCOHOL_DOSE = "What dose of ketamine was used in the alcohol trial?"


@pytest.fixture(scope="module")
def client():
    from gradio_client import Client

    return Client(shared_app(), verbose=False)  # `python app.py`, started once for the test run


def test_ask_returns_verbatim_citations(client):
    result = client.predict(ALCOHOL_DOSE, "", api_name="/ask")
    assert result["refused"] is False
    assert result["citations"], result
    assert any("0.8 mg/kg" in citation["quote"] for citation in result["citations"])
    for citation in result["citations"]:
        assert {"n", "source", "title", "quote", "start", "end", "score"} <= citation.keys()
        assert citation["end"] - citation["start"] == len(citation["quote"])
    assert set(result["timings"]) >= {"retrieve_ms", "rerank_ms", "answer_ms", "total_ms"}


def test_history_is_optional(client):
    result = client.predict(ALCOHOL_DOSE, api_name="/ask")
    assert result["question"] == ALCOHOL_DOSE and not result["refused"]


def test_the_api_numbers_each_quote_and_labels_the_documents_markers(client):
    from qa_fixtures import assert_numbering

    result = client.predict("How might ketamine help treat addiction?", "", api_name="/ask")
    assert not result["refused"] and "(ref. 2)" in result["answer"]
    assert_numbering(result["answer"], result["citations"])
    assert any(c["quote"].endswith("[2]") for c in result["citations"])  # the quote itself stays verbatim


def test_refusal_has_no_citations(client):
    from qa import REFUSAL

    result = client.predict("What is the capital of France?", "", api_name="/ask")
    assert result["refused"] is True
    assert result["answer"] == REFUSAL
    assert result["citations"] == []


def test_history_with_citations_goes_round_through_the_api(client):
    first = client.predict("What did the 2022 alcohol trial find?", "", api_name="/ask")
    turns = first["history_turns"]
    assert turns[0]["content"] == first["question"] and turns[1]["citations"]
    follow_up = client.predict("And the dose?", json.dumps(turns), api_name="/ask")
    assert follow_up["refused"] is False and "0.8 mg/kg" in follow_up["answer"]
    assert follow_up["searched_with"]


def test_history_changes_the_standalone_question(client):
    history = json.dumps([{"role": "user", "content": ALCOHOL_DOSE}, {"role": "assistant", "content": "0.8 mg/kg [1]"}])
    alone = client.predict("What about cocaine?", "", api_name="/ask")
    follow_up = client.predict("What about cocaine?", history, api_name="/ask")
    assert alone["standalone_question"] == "What about cocaine?"
    assert follow_up["standalone_question"] != alone["standalone_question"]
    assert "cocaine" in follow_up["standalone_question"].lower()
    assert "dose" in follow_up["standalone_question"].lower()


@pytest.mark.parametrize(
    "question, history, message",
    [
        ("", "", "empty"),
        ("   \n ", "", "empty"),
        ("x" * 5000, "", "too long"),
        ("What about cocaine?", "not json", "history"),
        ("What about cocaine?", '{"role": "user"}', "history"),
    ],
)
def test_bad_input_is_a_clear_error(client, question, history, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as error:
        client.predict(question, history, api_name="/ask")
    assert message in str(error.value)
    assert "Traceback" not in str(error.value)


def test_the_app_still_answers_after_bad_input(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError):
        client.predict("", "", api_name="/ask")
    assert client.predict(ALCOHOL_DOSE, "", api_name="/ask")["citations"]


def test_the_public_endpoints(client):
    assert sorted(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == ["/ask", "/documents", "/remove", "/upload"]


def test_no_index_exits_2_with_the_message(tmp_path):
    run = subprocess.run(
        [sys.executable, "app.py", "--port", "9"],
        cwd=ROOT, env={"QUOTEQA_INDEX": str(tmp_path / "none"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert "python -m ingest" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


# -- the HTML the chat shows (pure functions, no server) ------------------------------------------

HOSTILE = '<img src=x onerror=alert(1)> <script>alert(2)</script> **bold** & "quotes"'


def _citation(quote_start: int, quote_end: int, text: str, **extra) -> dict:
    return {
        "n": 1, "source": "doc<1>.txt", "title": "T<i>", "quote": text[quote_start:quote_end],
        "start": quote_start, "end": quote_end, "score": 1.5, "passage_start": 0, "passage_end": len(text),
        "references": [], "page": None, **extra,
    }


def test_user_and_answer_text_are_escaped():
    assert "<img" not in render.user_message(HOSTILE) and "&lt;img" in render.user_message(HOSTILE)
    answer = {"question": HOSTILE, "standalone_question": HOSTILE + " trial?", "answer": HOSTILE, "notices": [HOSTILE]}
    html = render.answer_message(answer)
    assert "<img" not in html and "<script" not in html
    assert '<em class="qa-notice">' in html and "Searched for:" in html


def test_searched_for_shows_a_respelt_word_but_not_a_case_or_mark_the_chain_made_canonical():
    plain = {"question": "what dose was used in the alcohol trial", "answer": "0.8 mg/kg [1]",
             "standalone_question": "What dose was used in the alcohol trial?"}
    assert "Searched for" not in render.answer_message(plain)
    respelt = {"question": "What dose was used in the alchool trial?", "answer": "0.8 mg/kg [1]",
               "standalone_question": "What dose was used in the alcohol trial?"}
    assert "Searched for: What dose was used in the alcohol trial?" in render.answer_message(respelt)


def test_a_refusal_names_the_conversation_only_when_it_rewrote_the_question():
    from qa import REFUSAL

    exchange = ["What did the 2022 alcohol trial find? A 2022 Phase 2 trial ..."]
    on_its_own = {"question": "How much does it cost?", "standalone_question": "How much does it cost?", "answer": REFUSAL,
                  "refused": True, "searched_with": exchange}
    assert "Searched for" not in render.answer_message(on_its_own)
    rewritten = dict(on_its_own, standalone_question="How much does the 2022 alcohol trial cost?")
    assert "Searched for: How much does the 2022 alcohol trial cost? — with the conversation" in render.answer_message(rewritten)
    answered = dict(on_its_own, refused=False, answer="It cost $5. [1]")
    assert "with the conversation" in render.answer_message(answered)


def test_the_documents_markers_show_as_references_linked_to_their_entries():
    entry = {"n": 2, "text": "[2] DeWilde KE. <Promise>. 2015.", "doi": None, "year": 2015}
    quote = "Reducing cravings [2]"
    answer = {"question": "q", "standalone_question": "q", "answer": "Reducing cravings (ref. 2) [1]", "refused": False,
              "citations": [_citation(0, len(quote), quote, references=[entry])]}
    html = render.answer_message(answer)
    assert '<sup class="qa-ref" title="(ref. 2) DeWilde KE. &lt;Promise&gt;. 2015.">ref.&nbsp;2</sup> [1]' in html
    sources = render.citations_html(answer, {"doc<1>.txt": quote})
    assert "ref.&nbsp;2</sup>" in sources and "[2]" not in sources.split("qa-refs")[0]


def test_a_refusal_names_the_words_no_document_uses_escaped():
    from qa import REFUSAL

    refused = {"question": "q", "standalone_question": "q", "answer": REFUSAL, "refused": True, "unmentioned": ["<b>vaping</b>"]}
    html = render.answer_message(refused)
    assert "The documents never use the word “&lt;b&gt;vaping&lt;/b&gt;”." in html and "<b>" not in html
    assert "never use" not in render.answer_message(dict(refused, unmentioned=[]))
    assert "never use" not in render.answer_message(dict(refused, refused=False, answer="A. [1]"))


def test_sentences_the_support_check_dropped_are_counted_not_shown():
    dropped = [{"sentence": "It cures <b>everyone</b>.", "reason": "not supported"}] * 2
    html = render.answer_message({"question": "q", "standalone_question": "q", "answer": "A. [1]", "dropped": dropped})
    assert "2 sentences of the LLM's answer failed the support check and were not shown." in html
    assert "everyone" not in html
    assert "failed the support check" not in render.answer_message({"question": "q", "answer": "A. [1]", "dropped": []})


def test_citations_mark_the_quote_in_its_passage_and_escape_documents():
    text = "Before <b>x</b>. The quote <script>. After."
    start = text.index("The quote")
    citation = _citation(start, start + len("The quote <script>."), text)
    html = render.citations_html({"refused": False, "citations": [citation]}, {"doc<1>.txt": text}, show_scores=True)
    assert "<script" not in html and "<b>" not in html and "T&lt;i&gt;" in html
    assert "<mark>" + "The quote &lt;script&gt;." + "</mark>" in html
    assert 'data-cite="0"' in html and "fair match (1.50)" in html
    assert render.citations_html({"refused": True, "citations": [citation]}, {}) == ""


def test_document_panel_highlights_the_clicked_quote():
    text = "One. Two <x>. Three."
    clicked, other = _citation(5, 13, text), _citation(14, 20, text)
    html = render.document_html({"text": text, "title": "Doc"}, clicked, [clicked, other])
    assert '<mark id="qa-hl" class="qa-hl">Two &lt;x&gt;.</mark>' in html
    assert '<mark class="qa-other">Three.</mark>' in html
    assert "Click a source" in render.document_html(None, None)


def test_related_passages_show_apart_under_a_refusal_only():
    related = {"source": "a.txt", "title": "A <b>", "quote": "On topic.", "start": 0, "end": 9, "score": -1.0}
    refusal = {"refused": True, "answer": "x", "citations": [], "related": [related]}
    html = render.related_html(refusal, {"a.txt": "On topic. More."})
    assert "The documents do not say this" in html and "<mark>On topic.</mark>" in html and "A &lt;b&gt;" in html
    assert 'class="qa-sources"' not in html and "data-cite" not in html
    assert render.related_html({**refusal, "refused": False}, {}) == ""
    assert render.related_html({**refusal, "related": []}, {}) == ""
