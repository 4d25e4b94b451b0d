"""The Gradio chat: `python app.py [--host 127.0.0.1] [--port 7860] [--share]`.

What it does: a thin face over `qa`. The answer streams sentence by sentence (`qa.chain.stream`);
under it its numbered sources, each expandable to its passage; a click on a source shows the
whole document with the quote highlighted. Each browser session keeps its own history (gr.State);
the models and the index are shared. `/ask` is a named API endpoint returning `Answer.to_dict()`.
A Documents panel (`qa_ui.library`) uploads, lists, opens and removes documents, with the
`/upload`, `/documents` and `/remove` endpoints; `QUOTEQA_ALLOW_UPLOAD` turns adding and removing
on or off (default: on when bound to 127.0.0.1 or behind a login).
Offline and private: bound to 127.0.0.1, analytics off, system fonts only, optional basic auth
from `QUOTEQA_AUTH=user:password`, a queue limited by `QUOTEQA_CONCURRENCY`.
What it does not: answer (see `qa`), change the corpus (see `ingest.corpus`) or build HTML (see
`qa_ui.render`, `qa_ui.documents`).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import threading
import time
import traceback

from ingest.offline import ensure_offline

ensure_offline()  # before gradio and the model libraries are imported

import gradio as gr  # noqa: E402
from pydantic import Field  # noqa: E402
from pydantic_settings import BaseSettings, SettingsConfigDict  # noqa: E402

from qa import Settings  # noqa: E402
from qa_ui import documents, render  # noqa: E402
from qa_ui.library import build_library, upload_allowed  # noqa: E402
from qa_ui.look import CITATIONS_JS, DOCUMENT_JS, THEME  # noqa: E402

# Questions a first-time reader can start with (a follow-up such as "What about cocaine?" needs a
# question before it).
EXAMPLES = [
    "How might ketamine help treat addiction?",
    "What dose of ketamine was used in the alcohol trial?",
    "Is using ketamine for addiction approved or off-label?",
]
STREAM_PAUSE = 0.04  # seconds between streamed sentences, so the reader sees them arrive
WARM_UP_QUESTION = "What is ketamine used for?"


class AppSettings(BaseSettings):
    """Settings of the web app only (answering settings live in `qa.Settings`)."""

    model_config = SettingsConfigDict(env_prefix="QUOTEQA_", extra="ignore")

    concurrency: int = Field(4, ge=1, le=64, description="Questions answered at the same time (Gradio queue).")
    auth: str | None = Field(None, description="Basic auth as user:password; unset means no login.")
    allow_upload: bool | None = Field(
        None, description="Let users add and remove documents; unset: on when bound to 127.0.0.1 or behind a login."
    )


def _index():
    from qa.search.index import get_index

    return get_index(Settings())


def _documents(answer: dict | None) -> dict[str, str]:
    index = _index()
    sources = {c["source"] for key in ("citations", "related") for c in (answer or {}).get(key) or []}
    return {source: (index.document(source) or {}).get("text", "") for source in sources}


def parse_history(history: str | list | None) -> list[dict] | None:
    """The `/ask` history: a JSON list of {"role", "content"} turns, an assistant turn optionally with
    "citations": [{"source", "start", "end"}] (what `history_turns` of a previous answer gives), or
    empty; ValueError otherwise."""
    if history is None or (isinstance(history, str) and not history.strip()):
        return None
    try:
        turns = json.loads(history) if isinstance(history, str) else history
    except json.JSONDecodeError as error:
        raise ValueError(f"history is not valid JSON ({error})") from None
    if not isinstance(turns, list) or not all(isinstance(t, dict) and "role" in t and "content" in t for t in turns):
        raise ValueError('history must be a JSON list of {"role": "user"|"assistant", "content": "..."}')
    return turns


def ask_api(question: str, history: str = "") -> dict:
    """Answer a question from the documents; history is a JSON list of {role, content} turns (an
    assistant turn may carry the citations its answer gave) or empty.

    Returns Answer.to_dict(): question, standalone_question, answer, refused, citations, timings,
    related, and history_turns (append them to the history for the next question).
    """
    from qa import ask

    try:
        return ask(question, parse_history(history)).to_dict()
    except (ValueError, TypeError) as error:  # json.JSONDecodeError is a ValueError
        raise gr.Error(html.escape(str(error)), print_exception=False) from None


def respond(message: str, chat: list, history: list, max_quotes: float):
    """Stream one turn: yields (textbox, chat, history, last answer, sources, document panel)."""
    from qa import chain
    from qa.answering import clean_question

    chat, history = list(chat or []), list(history or [])
    try:
        question = clean_question(message, Settings().max_question_chars)
    except ValueError as error:
        chat.append({"role": "assistant", "content": render.error_message(f"Not asked: {error}.")})
        # The box is left alone: it still holds what was typed, and setting it again would race
        # with a reader who has already started typing the next question.
        yield gr.skip(), chat, history, gr.skip(), gr.skip(), gr.skip()
        return
    chat.append({"role": "user", "content": render.user_message(question)})
    yield "", chat, history, None, "", render.document_html(None, None)
    request = {"question": question, "history": history, "settings": {"max_quotes": int(max_quotes)}}
    chat.append({"role": "assistant", "content": ""})
    answer = None
    try:
        for step, partial in enumerate(chain.stream(request)):
            if step:
                time.sleep(STREAM_PAUSE)
            answer = partial.to_dict()
            chat[-1] = {"role": "assistant", "content": render.answer_message(answer)}
            sources = _sources_html(answer)
            yield gr.skip(), chat, history, answer, sources, gr.skip()  # the box may hold the next question
    except Exception as error:  # the chat says what went wrong instead of hanging
        traceback.print_exc()
        chat[-1] = {"role": "assistant", "content": render.error_message(f"Something went wrong: {error}")}
        yield gr.skip(), chat, history, None, "", gr.skip()
        return
    if answer is not None:  # the history the next question is asked in, with what this answer cited
        history += answer["history_turns"]
        yield gr.skip(), chat, history, answer, gr.skip(), gr.skip()


def open_citation(answer: dict | None, event: gr.EventData):
    """The document panel for the clicked source (its position arrives in the click's data)."""
    citations = (answer or {}).get("citations") or []
    position = (event._data or {}).get("cite") if isinstance(event._data, dict) else None
    if not isinstance(position, int) or not 0 <= position < len(citations):
        return gr.skip()
    citation = citations[position]
    return render.document_html(_index().document(citation["source"]), citation, citations)


def _sources_html(answer: dict | None) -> str:
    """The numbered sources of an answer, or under a refusal the closest passages, labelled apart.
    Their scores are always in the page; the "Show scores" box shows or hides them in the browser
    (`SHOW_SCORES_JS`), so a toggle holds at once, even while an answer is still streaming."""
    documents = _documents(answer)
    return render.citations_html(answer, documents, show_scores=True) + render.related_html(answer, documents)


def clear():
    return [], [], None, "", render.document_html(None, None), ""


def build_demo(allow_upload: bool = True) -> gr.Blocks:
    with gr.Blocks(title="quoteqa", analytics_enabled=False) as demo:
        gr.Markdown(
            "## quoteqa\nAnswers come only as verbatim quotes from the documents, each with its source. "
            "Click a source to see the quote in its document."
        )
        history = gr.State([])
        last = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    label="Chat", show_label=False, elem_id="qa-chat", height=600, render_markdown=False, sanitize_html=True,
                    latex_delimiters=[], buttons=[], feedback_options=None, layout="bubble",
                    placeholder="Ask a question about the documents.",
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask a question about the documents…", show_label=False, lines=1, max_lines=4,
                        autofocus=True, scale=6, elem_id="qa-question", container=False,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=80)
                    clear_button = gr.Button("Clear", scale=1, min_width=80, elem_id="qa-clear")
                sources = gr.HTML("", elem_id="qa-sources", js_on_load=CITATIONS_JS)
                gr.Examples(EXAMPLES, inputs=box, label="Examples")
                library = gr.Column()
                with gr.Accordion("Settings", open=False):
                    max_quotes = gr.Slider(1, 10, value=Settings().max_quotes, step=1, label="Number of quotes", elem_id="qa-quotes")
                    show_scores = gr.Checkbox(False, label="Show how strongly each quote matched the question", elem_id="qa-scores")
            with gr.Column(scale=2):
                gr.Markdown("### Document")
                document = gr.HTML(render.document_html(None, None), elem_id="qa-docpanel", js_on_load=DOCUMENT_JS)

        # One event for Enter and the button; a question sent while one is answered waits its turn.
        gr.on(
            [box.submit, send.click], respond,
            inputs=[box, chat, history, max_quotes],
            outputs=[box, chat, history, last, sources, document],
            trigger_mode="always_last", api_visibility="private", show_progress="minimal", show_progress_on=[chat],
        )
        sources.click(open_citation, inputs=[last], outputs=[document], api_visibility="private", show_progress="hidden")
        show_scores.change(None, inputs=[show_scores], js=render.SHOW_SCORES_JS, api_visibility="private")
        clear_button.click(clear, outputs=[chat, history, last, sources, document, box], api_visibility="private")
        chat.clear(clear, outputs=[chat, history, last, sources, document, box], api_visibility="private")  # its bin icon
        with library:  # placed under the examples, built once the document panel exists
            build_library(demo, document, allow_upload)
        gr.api(ask_api, api_name="ask")
    return demo


def _auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("QUOTEQA_AUTH must look like user:password")
    return user, password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="app.py", description="Serve the quoteqa chat.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help="also open a public Gradio share link (off by default)")
    parser.add_argument(
        "--llm", help="answer back end: none (extractive, the default), hf-gguf:PATH, ollama:MODEL[@URL], openai:MODEL@BASE_URL"
    )
    args = parser.parse_args(argv)
    if args.llm is not None:
        from qa.llm.spec import parse_llm

        try:
            parse_llm(args.llm)
        except ValueError as error:
            print(f"quoteqa: {error}", file=sys.stderr)
            return 2
        os.environ["QUOTEQA_LLM"] = args.llm  # every Settings() of this process reads it

    from ingest.offline import ModelNotInstalled
    from ingest.store import IndexMismatch, IndexMissing
    from qa import ask

    try:
        settings = AppSettings()
        auth = _auth(settings.auth)
    except ValueError as error:
        print(f"quoteqa: {error}", file=sys.stderr)
        return 2
    try:
        ask(WARM_UP_QUESTION)  # loads the models and the index before anyone waits on them
    except (IndexMissing, IndexMismatch, ModelNotInstalled) as error:
        print(f"quoteqa: {error}", file=sys.stderr)
        return 2
    demo = build_demo(upload_allowed(settings.allow_upload, args.host, auth is not None))
    demo.queue(default_concurrency_limit=settings.concurrency)
    _, url, share_url = demo.launch(
        server_name=args.host, server_port=args.port, share=args.share, auth=auth, prevent_thread_lock=True,
        quiet=True, ssr_mode=False, theme=THEME, css=render.CSS + documents.CSS, footer_links=["api"],
        show_error=True, max_threads=max(8, settings.concurrency * 2),
    )
    print(f"quoteqa is ready: {url}" + (f" (public: {share_url})" if share_url else ""), flush=True)
    if upload_allowed(settings.allow_upload, args.host, auth is not None):
        # Answering runs on onnxruntime; ingest embeds with sentence-transformers, whose PyTorch
        # takes ~5 s to load: load it now, while the first user reads the page, not on the first upload.
        from ingest.embed import get_embedder

        threading.Thread(target=get_embedder, name="load-ingest-embedder", daemon=True).start()
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
