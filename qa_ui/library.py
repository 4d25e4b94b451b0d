"""The documents panel of the chat and its API: upload, list, open and remove documents.

What it does: `build_library()` adds, inside the app's Blocks, an accordion with a file drop zone
(progress shown while the files are ingested, then a one-line summary), the table of indexed
documents (Open shows a document in the app's document panel; Remove asks first, in the row under
the document), and the named
endpoints `/upload` (files -> the `python -m ingest --json` summary, as that JSON text), `/documents`
(the list) and `/remove` (a source -> the same summary). The summaries are JSON text, not objects:
gradio_client would take their `skipped[].path` for files to download. Uploads and removals share one queue slot, so they run one at a
time; questions keep being answered meanwhile from the last complete index, and the new one
serves every session as soon as the write ends. When uploads are not allowed (`upload_allowed`),
the drop zone and Remove buttons are not shown and the API refuses with a clear message.
What it does not: change files or the index itself (see `ingest.corpus`) or build HTML (see
`qa_ui.documents`).
"""

from __future__ import annotations

import html
import json
import traceback

import gradio as gr

from ingest.corpus import CorpusError, add_files, list_documents, remove_document
from qa_ui import documents as view

WRITES = "corpus-write"  # the queue slot uploads and removals share: one at a time
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
READ_ONLY = (
    "Adding and removing documents is turned off on this server "
    "(set QUOTEQA_ALLOW_UPLOAD=true to turn it on; by default it is on only on 127.0.0.1 or with a login)."
)
# A click on a row's button asks the server to open or remove that document.
TABLE_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) trigger('click', {action: button.dataset.action, source: button.dataset.source});
});
"""


def upload_allowed(setting: bool | None, host: str, has_login: bool) -> bool:
    """`QUOTEQA_ALLOW_UPLOAD` when set; otherwise on for a loopback address or behind a login."""
    if setting is not None:
        return setting
    return host in LOCAL_HOSTS or has_login


def _settings():
    from qa import Settings

    return Settings()


def _refresh_index() -> None:
    """Load the new index now, so the next question of any session does not wait for it."""
    from qa.search.index import get_index

    try:
        get_index(_settings())
    except Exception:  # noqa: BLE001 - answering reports an unusable index itself
        traceback.print_exc()


def _table(allow: bool, confirming: str | None = None) -> str:
    try:
        return view.documents_html(list_documents(_settings()), allow, confirming)
    except Exception as error:  # noqa: BLE001 - an unreadable manifest is said, not raised
        return view.problem_html(f"The list of documents cannot be read: {error}")


def _paths(files) -> list[str]:
    return [f if isinstance(f, str) else getattr(f, "name", None) or f["path"] for f in files or []]


def _upload(files, replace: bool, progress: gr.Progress) -> dict:
    def on_progress(stage: str, done: int, total: int) -> None:
        progress((done, total) if total else 0.0, desc=stage, unit="files" if stage != "Embedding" else "chunks")

    progress(0.0, desc="Checking the files")
    result = add_files(_paths(files), _settings(), replace=bool(replace), on_progress=on_progress)
    _refresh_index()
    return result


def _remove(source: str) -> dict:
    result = remove_document(source, _settings())
    _refresh_index()
    return result


def build_library(demo: gr.Blocks, document_panel: gr.HTML, allow: bool) -> None:
    """Inside a Blocks: the documents accordion, its events and the three API endpoints."""

    def upload_ui(files, replace, progress=gr.Progress()):
        if not allow:
            return None, view.problem_html(READ_ONLY), _table(allow)
        if not files:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            summary = view.summary_html(_upload(files, replace, progress))
        except (CorpusError, OSError, RuntimeError) as error:
            traceback.print_exc()
            summary = view.problem_html(f"Nothing was added: {error}")
        return None, summary, _table(allow)

    def _clicked(event: gr.EventData) -> tuple[str | None, str | None]:
        data = event._data if isinstance(event._data, dict) else {}
        source, action = data.get("source"), data.get("action")
        return (source, action) if isinstance(source, str) else (None, None)

    def table_click(event: gr.EventData):
        """Open a document in the panel; Remove asks in the row under it; Cancel takes the question away."""
        source, action = _clicked(event)
        if action == "open":
            from qa.search.index import get_index

            try:
                document = get_index(_settings()).document(source)
            except Exception:  # noqa: BLE001 - shown as "no longer in the index"
                document = None
            return view.document_view(document, source), gr.skip()
        if action == "remove" and allow:
            return gr.skip(), _table(allow, confirming=source)
        if action == "cancel":
            return gr.skip(), _table(allow)
        return gr.skip(), gr.skip()

    def confirm_click(event: gr.EventData):
        """The red Remove of the question: the removal, in the write slot uploads use."""
        source, action = _clicked(event)
        if action != "confirm":
            return gr.skip(), gr.skip()
        if not allow:
            return view.problem_html(READ_ONLY), _table(allow)
        try:
            summary = view.removed_html(source, _remove(source))
        except (CorpusError, OSError, RuntimeError) as error:
            summary = view.problem_html(f"Not removed: {error}")
        return summary, _table(allow)

    def upload_api(files: list, replace: bool = False, progress=gr.Progress()) -> str:
        """Add files (.txt .md .html .pdf) to the corpus folder and index them; returns the ingest summary as JSON text."""
        if not allow:
            raise gr.Error(READ_ONLY, print_exception=False)
        if not files:
            raise gr.Error("No files were sent.", print_exception=False)
        try:
            return json.dumps(_upload(files, replace, progress))
        except CorpusError as error:
            raise gr.Error(html.escape(str(error), quote=False), print_exception=False) from None

    def documents_api() -> list[dict]:
        """Every indexed document: source, title, chunks, indexed_at."""
        return list_documents(_settings())

    def remove_api(source: str) -> str:
        """Remove a document (its source, as /documents lists it) from the index and the corpus folder; returns the summary as JSON text."""
        if not allow:
            raise gr.Error(READ_ONLY, print_exception=False)
        try:
            return json.dumps(_remove(source))
        except CorpusError as error:
            raise gr.Error(html.escape(str(error), quote=False), print_exception=False) from None

    with gr.Accordion("Documents", open=False, elem_id="qa-library") as accordion:
        # Any file is taken: a type the box itself refused stayed there as a red "Error" until
        # closed; the server skips it with its reason and empties the box.
        upload = gr.File(
            label="Add documents: drop or pick .txt, .md, .html or .pdf files", file_count="multiple",
            type="filepath", elem_id="qa-upload", visible=allow, height=120,
        )
        replace = gr.Checkbox(
            False, label="Replace documents with the same name (otherwise a new file gets a free name)",
            elem_id="qa-replace", visible=allow,
        )
        summary = gr.HTML("", elem_id="qa-upload-summary")
        table = gr.HTML("", elem_id="qa-documents", js_on_load=TABLE_JS)

    upload.upload(
        upload_ui, inputs=[upload, replace], outputs=[upload, summary, table], api_visibility="private",
        concurrency_id=WRITES, concurrency_limit=1, show_progress="full", show_progress_on=[summary],
    )
    table.click(table_click, outputs=[document_panel, table], api_visibility="private", show_progress="hidden")
    table.click(
        confirm_click, outputs=[summary, table], api_visibility="private",
        concurrency_id=WRITES, concurrency_limit=1, show_progress_on=[summary],
    )
    gr.on([demo.load, accordion.expand], lambda: _table(allow), outputs=[table], api_visibility="private", show_progress="hidden")

    # The API: hidden components give /upload real file handling (and progress updates).
    api_files = gr.File(file_count="multiple", type="filepath", visible=False)
    api_replace = gr.Checkbox(False, visible=False)
    api_result = gr.Textbox(visible=False)
    api_button = gr.Button(visible=False)
    api_button.click(
        upload_api, inputs=[api_files, api_replace], outputs=[api_result], api_name="upload",
        concurrency_id=WRITES, concurrency_limit=1,
    )
    gr.api(documents_api, api_name="documents")
    gr.api(remove_api, api_name="remove", concurrency_id=WRITES, concurrency_limit=1)
