"""Build the LangChain chat model an `LLMSpec` names, or say in one line what is missing.

What it does: `chat_model(spec, settings)` returns a `BaseChatModel` for `hf-gguf` (a local GGUF
file through transformers, `qa.llm.hf_gguf`), `ollama` (langchain-ollama) or `openai`
(langchain-openai, any OpenAI-compatible server), built once per process and spec. A missing
optional package or model file raises `LLMUnavailable` with the command that fixes it;
`describe_failure` turns an error raised while generating (a server that does not answer) into
one line. The chain shows these as notices and answers extractively instead.
What it does not: prompt, stream or check anything (see `qa.compose.generative`).
"""

from __future__ import annotations

import os
import threading

from qa.llm.spec import LLMSpec

EXTRA_HINT = "pip install 'quoteqa[llm]'"
API_KEY_VARIABLES = ("QUOTEQA_LLM_API_KEY", "OPENAI_API_KEY")

_models: dict[tuple, object] = {}
_lock = threading.Lock()


class LLMUnavailable(RuntimeError):
    """The back end cannot be used; the message says why and how to fix it, in one line."""


def chat_model(spec: LLMSpec, max_tokens: int = 256, timeout: float = 60.0):
    """The chat model of `spec` (not `none`), shared by every caller in the process."""
    key = (spec, max_tokens, timeout)
    with _lock:
        if key not in _models:
            _models[key] = _build(spec, max_tokens, timeout)
        return _models[key]


def _build(spec: LLMSpec, max_tokens: int, timeout: float):
    if spec.kind == "hf-gguf":
        try:
            from qa.llm.hf_gguf import GGUFChatModel, resolve_gguf
        except ImportError as error:
            raise LLMUnavailable(f"the hf-gguf back end needs transformers, gguf and accelerate ({error}): {EXTRA_HINT}") from error
        try:
            resolve_gguf(spec.model)
        except FileNotFoundError as error:
            raise LLMUnavailable(str(error)) from error
        return GGUFChatModel(location=spec.model, max_new_tokens=max_tokens)
    if spec.kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as error:
            raise LLMUnavailable(f"the ollama back end needs langchain-ollama: {EXTRA_HINT}") from error
        return ChatOllama(model=spec.model, base_url=spec.url, temperature=0, num_predict=max_tokens, client_kwargs={"timeout": timeout})
    if spec.kind == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as error:
            raise LLMUnavailable(f"the openai back end needs langchain-openai: {EXTRA_HINT}") from error
        api_key = next((os.environ[name] for name in API_KEY_VARIABLES if os.environ.get(name)), "not-needed")
        return ChatOpenAI(
            model=spec.model, base_url=spec.url, api_key=api_key, temperature=0, max_tokens=max_tokens,
            timeout=timeout, max_retries=0,
        )
    raise LLMUnavailable(f"no chat model for the back end {spec.label!r}")


def describe_failure(spec: LLMSpec, error: BaseException) -> str:
    """One line for an error raised while the back end was generating."""
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
    where = f" at {spec.url}" if spec.url else ""
    line = f"the {spec.kind} back end{where} failed ({type(error).__name__}: {first_line})"
    if spec.url and any(word in type(error).__name__ for word in ("Connect", "Timeout")):
        line += f"; check that the server is running and reachable at {spec.url}"
    return line
