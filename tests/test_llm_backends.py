"""qa.llm.backends: each back end is built, or refused in one line that names the fix; through
`ask()`, a back end that cannot answer gives the extractive answer and a notice, never a crash."""

from __future__ import annotations

import sys

import pytest

from qa import ask
from qa.llm.backends import LLMUnavailable, chat_model, describe_failure
from qa.llm.spec import parse_llm
from qa_fixtures import DOSE_QUESTION, corpus_index  # noqa: F401 - a fixture


def test_a_missing_optional_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "langchain_openai", None)  # as if not installed
    with pytest.raises(LLMUnavailable, match=r"langchain-openai: pip install 'quoteqa\[llm\]'"):
        chat_model(parse_llm("openai:m@http://127.0.0.1:9/v1"), 32, 1.0)
    monkeypatch.setitem(sys.modules, "langchain_ollama", None)
    with pytest.raises(LLMUnavailable, match="langchain-ollama"):
        chat_model(parse_llm("ollama:m@http://127.0.0.1:9"), 32, 1.0)


def test_a_missing_gguf_file_says_so_in_one_line(tmp_path):
    with pytest.raises(LLMUnavailable) as error:
        chat_model(parse_llm(f"hf-gguf:{tmp_path / 'absent.gguf'}"), 32, 1.0)
    assert "\n" not in str(error.value) and "absent.gguf" in str(error.value)


def test_models_are_built_once_per_setting():
    pytest.importorskip("langchain_openai")
    spec = parse_llm("openai:m@http://127.0.0.1:9/v1")
    assert chat_model(spec, 32, 1.0) is chat_model(spec, 32, 1.0)
    assert chat_model(spec, 32, 1.0) is not chat_model(spec, 64, 1.0)


def test_a_failure_while_generating_is_one_line():
    line = describe_failure(parse_llm("ollama:m@http://127.0.0.1:9"), ConnectionError("refused\nmore detail"))
    assert line == (
        "the ollama back end at http://127.0.0.1:9 failed (ConnectionError: refused); "
        "check that the server is running and reachable at http://127.0.0.1:9"
    )
    assert "check that" not in describe_failure(parse_llm("ollama:m@http://127.0.0.1:9"), ValueError("bad reply"))


@pytest.mark.parametrize("llm", ["ollama:m@http://127.0.0.1:9", "hf-gguf:/no/such/model.gguf"])
def test_ask_falls_back_to_quotes_with_a_notice(corpus_index, llm):  # noqa: F811
    answer = ask(DOSE_QUESTION, index=corpus_index, llm=llm, llm_timeout=5)
    assert not answer.refused and "0.8 mg/kg over 40 minutes" in answer.answer
    (notice,) = answer.notices
    assert notice.startswith("LLM unavailable:") and "\n" not in notice
