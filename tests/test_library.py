"""The documents panel's API as a program sees it: `/upload`, `/documents`, `/remove` through gradio_client.

Against the shared `python app.py` (a private copy of the corpus and its own index): a good file is
answerable at once and removable; a bad file is reported and not kept; a name clash is renamed; a
bad removal is a clear error. Every test leaves the corpus as it found it. Also: the read-only mode
refuses uploads and removals with a clear message (an app built in this process), and when it is on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_ui.library import READ_ONLY, upload_allowed
from qa_ui.process import free_port, shared_app, shared_app_env

QUESTION = "How many stripes did the zebrafish study count?"
NOTE = "# Zebrafish notes\n\nThe zebrafish study counted 41 stripes on average in adult fish kept at 28 degrees.\n"


@pytest.fixture(scope="module")
def client():
    from gradio_client import Client

    return Client(shared_app(), verbose=False)


@pytest.fixture
def corpus() -> Path:
    return Path(shared_app_env()["QUOTEQA_CORPUS"])


@pytest.fixture
def upload(client, tmp_path):
    """`upload(name, content, replace=False)` -> the summary dict; removes what it added afterwards."""
    from gradio_client import handle_file

    added: list[str] = []

    def send(files: dict[str, str | bytes], replace: bool = False) -> dict:
        paths = []
        for name, content in files.items():
            folder = tmp_path / str(len(list(tmp_path.iterdir())))
            folder.mkdir()
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
            paths.append(handle_file(str(folder / name)))
        result = json.loads(client.predict(paths, replace, api_name="/upload"))
        added.extend(name for name in files if name not in {item["path"] for item in result["skipped"]})
        added.extend(item["to"] for item in result["renamed"])
        return result

    yield send
    listed = {doc["source"] for doc in client.predict(api_name="/documents")}
    for name in dict.fromkeys(added):
        if name in listed:
            client.predict(name, api_name="/remove")


def test_an_uploaded_file_is_answerable_at_once_and_removable(client, upload, corpus):
    from qa import REFUSAL

    assert client.predict(QUESTION, "", api_name="/ask")["refused"] is True
    result = upload({"zebrafish.md": NOTE})
    assert (result["added"], result["skipped"], result["renamed"]) == (1, [], [])
    assert set(result) >= {"files", "chunks", "added", "updated", "removed", "unchanged", "skipped", "seconds"}
    assert (corpus / "zebrafish.md").read_text(encoding="utf-8") == NOTE
    listed = {doc["source"]: doc for doc in client.predict(api_name="/documents")}
    assert listed["zebrafish.md"]["title"] == "Zebrafish notes" and listed["zebrafish.md"]["chunks"] == 1
    answer = client.predict(QUESTION, "", api_name="/ask")
    assert not answer["refused"] and "41 stripes" in answer["answer"]
    assert answer["citations"][0]["source"] == "zebrafish.md"

    removed = json.loads(client.predict("zebrafish.md", api_name="/remove"))
    assert removed["removed"] == 1 and removed["files"] == result["files"] - 1
    assert not (corpus / "zebrafish.md").exists()
    assert client.predict(QUESTION, "", api_name="/ask")["answer"] == REFUSAL


def test_a_bad_file_is_reported_and_not_kept(client, upload, corpus):
    before = client.predict(api_name="/documents")
    result = upload({"broken.txt": b"\x00\x01binary\x00" * 20, "latin.md": "caf\xe9".encode("latin-1")})
    reasons = {item["path"]: item["reason"] for item in result["skipped"]}
    assert "binary" in reasons["broken.txt"] and "not UTF-8" in reasons["latin.md"]
    assert result["added"] == 0
    assert not (corpus / "broken.txt").exists() and not (corpus / "latin.md").exists()
    assert client.predict(api_name="/documents") == before


def test_a_name_clash_is_renamed_never_overwritten(client, upload, corpus):
    upload({"zebrafish.md": NOTE})
    other = NOTE.replace("41 stripes", "43 stripes")
    result = upload({"zebrafish.md": other})
    assert result["renamed"] == [{"from": "zebrafish.md", "to": "zebrafish-2.md"}] and result["added"] == 1
    assert (corpus / "zebrafish.md").read_text(encoding="utf-8") == NOTE
    assert (corpus / "zebrafish-2.md").read_text(encoding="utf-8") == other
    replaced = upload({"zebrafish.md": other}, replace=True)
    assert (replaced["updated"], replaced["renamed"]) == (1, [])
    assert (corpus / "zebrafish.md").read_text(encoding="utf-8") == other


def test_removing_an_unknown_document_is_a_clear_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as error:
        client.predict("no-such-file.md", api_name="/remove")
    assert "'no-such-file.md' is not in the index" in str(error.value)
    assert "Traceback" not in str(error.value)


@pytest.mark.parametrize(
    "setting, host, login, allowed",
    [(None, "127.0.0.1", False, True), (None, "0.0.0.0", False, False), (None, "0.0.0.0", True, True),
     (False, "127.0.0.1", False, False), (True, "0.0.0.0", False, True)],
)
def test_upload_allowed(setting, host, login, allowed):
    assert upload_allowed(setting, host, login) is allowed


def test_read_only_refuses_upload_and_remove_with_a_clear_message(tmp_path, monkeypatch):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    import app

    monkeypatch.setenv("QUOTEQA_INDEX", str(tmp_path / "idx"))
    monkeypatch.setenv("QUOTEQA_CORPUS", str(tmp_path / "corpus"))
    demo = app.build_demo(allow_upload=False)
    demo.queue()
    _, url, _ = demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True, ssr_mode=False)
    try:
        client = Client(url, verbose=False)
        note = tmp_path / "note.md"
        note.write_text(NOTE, encoding="utf-8")
        for args, endpoint in (([handle_file(str(note))], False), "/upload"), (("note.md",), "/remove"):
            with pytest.raises(AppError) as error:
                client.predict(*args, api_name=endpoint)
            assert "turned off" in str(error.value) and "QUOTEQA_ALLOW_UPLOAD" in str(error.value)
        assert client.predict(api_name="/documents") == []
        assert not (tmp_path / "corpus").exists()
    finally:
        demo.close()
    assert "QUOTEQA_ALLOW_UPLOAD" in READ_ONLY
