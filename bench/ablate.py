"""Every hand rule of the answerer switched off in turn: `python -m bench.ablate [RULE ...] [--squad N] [--coqa N]`.

What it does: for each rule below, patches it out in this process (the product keeps no switch
for it), runs the dev suite's kept-out cases (`bench.suite.run_set`: the first N of squad2 and
coqa, the whole golden set), restores it, and writes a table of the figures beside the same
run with every rule on to BENCHMARKS.md (section `ablation`). A rule earns its place when
switching it off costs on the external sets, not only on the golden set.
What it does not: change the product; removing a rule is a commit of its own.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator

from bench.suite import run_set, summarise


@contextlib.contextmanager
def patched(target, name: str, value) -> Iterator[None]:
    old = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, old)


def _journal_names():
    import qa.search.scoring

    return patched(qa.search.scoring, "expand_journal_names", lambda text, question=None: text)


def _acronyms():
    import qa.search.scoring

    return patched(qa.search.scoring, "expand_acronyms", lambda text, acronyms: text)


@contextlib.contextmanager
def _leaning_sentences():
    import qa.search.scoring
    import qa.text.sentences

    with patched(qa.text.sentences, "leans_on_previous", lambda text: False), patched(
        qa.search.scoring, "discount_leaning", lambda candidates, scores: [float(s) for s in scores]
    ):
        yield


@contextlib.contextmanager
def _list_lead_ins():
    import qa.compose.extractive
    from qa.search.index import LoadedIndex

    with patched(LoadedIndex, "lead_in", lambda self, source, offset: None), patched(qa.compose.extractive, "MAX_LIST_ITEMS", 0):
        yield


def _focus_terms():
    import qa.decision.decide

    return patched(qa.decision.decide, "focus_gain_signal", lambda scored, settings, index: {})


RULES: dict[str, Callable[[], contextlib.AbstractContextManager]] = {
    "focus terms": _focus_terms,
    "journal abbreviations": _journal_names,
    "acronym expansion": _acronyms,
    "leaning sentences": _leaning_sentences,
    "list lead-ins": _list_lead_ins,
}


def measure(squad: int, coqa: int) -> dict[str, dict]:
    return {
        "squad2": summarise(run_set("squad2", "kept", squad, progress=False)),
        "coqa": summarise(run_set("coqa", "kept", coqa, kinds={"coqa-followup"}, progress=False)),
        "golden": summarise(run_set("golden", "kept", None, progress=False)),
    }


def row(name: str, figures: dict[str, dict], base: dict[str, dict] | None) -> str:
    cells = []
    for set_name, keys in (("squad2", ("hit", "refusal_ok")), ("coqa", ("hit", "doc_hit")), ("golden", ("hit", "refusal_ok"))):
        for key in keys:
            value = figures[set_name][key]
            delta = f" ({value - base[set_name][key]:+.3f})" if base else ""
            cells.append(f"{value:.3f}{delta}")
    return f"| {name} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    from bench.report import machine_line, write_section

    parser = argparse.ArgumentParser(prog="python -m bench.ablate", description=__doc__.split("\n")[0])
    parser.add_argument("rules", nargs="*", default=list(RULES), metavar="RULE", help="; ".join(RULES))
    parser.add_argument("--squad", type=int, default=300)
    parser.add_argument("--coqa", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    unknown = [rule for rule in args.rules if rule not in RULES]
    if unknown:
        parser.error(f"unknown rule(s) {unknown}; the rules are: {', '.join(RULES)}")
    base = measure(args.squad, args.coqa)
    lines = [
        "## Ablation: each hand rule switched off",
        "",
        f"`python -m bench.ablate --squad {args.squad} --coqa {args.coqa}`: kept-out cases (first {args.squad} of squad2, "
        f"first {args.coqa} coqa follow-ups, all golden), the answerability decision on. {machine_line()}.",
        "In brackets: the change from every rule on. A rule that costs nothing on squad2 and coqa when off goes.",
        "",
        "| rule off | squad2 hit | squad2 refusal_ok | coqa hit | coqa doc_hit | golden must-include | golden refusal_ok |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row("(none: all rules on)", base, None),
    ]
    print("\n".join(lines), flush=True)
    for name in args.rules:
        with RULES[name]():
            figures = measure(args.squad, args.coqa)
        lines.append(row(name, figures, base))
        print(lines[-1], flush=True)
    if not args.no_write:
        write_section("ablation", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
