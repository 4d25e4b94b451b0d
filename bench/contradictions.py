"""Claims turned into their opposite by one edit, and faithful rewordings: the contradiction benchmark's material.

What it does: `alterations(claim)` returns every single-edit variant of a claim that says the
opposite, each an `Alteration(family, before, after, text)`, by family:
- `negation`: a negation added after the first auxiliary or copula ("is" -> "is not", "can" ->
  "cannot"), or one removed ("did not lead" -> "did lead", "never" -> "always", "no" -> "some");
- `direction`: a direction, comparison or polar word replaced by its opposite ("more" -> "less",
  "increased" -> "decreased", "before" -> "after", "effective" -> "ineffective");
- `quantifier`: a quantity word changed ("all" -> "some", "most" -> "few", "always" -> "never");
- `modality`: certainty changed ("may" -> "must", "will" -> "might", "possibly" -> "certainly");
- `role`: two names swapped ("Smith defeated Jones" -> "Jones defeated Smith").
`rewordings(claim)` returns faithful variants (a word replaced by a synonym of the same sense:
"reduced" -> "decreased", "large" -> "big"), which a support check must keep accepting.
The lexicons are general English (opposites and synonyms of everyday and scientific prose, in all
their inflections), not the words of a few test sentences. Case is kept; one edit per variant;
deterministic order.
`main` (`python -m bench.contradictions`) measures the shipped support check
(`qa.eval.support.sentence_support`) on the kept-out human-labelled supported claims of
`../shared/data/dev/support/` (`bench.support_data.part`): the share of originals accepted, of
each family's alterations rejected, of rewordings accepted, and the time to judge a sentence, and
writes them to BENCHMARKS.md.
What it does not: judge anything itself, or read the fitting part of the labels.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from dataclasses import dataclass

# Opposites, each pair both ways; inflections listed (no stemmer guesses an English opposite).
OPPOSITES = """
more less|more fewer|higher lower|greater smaller|larger smaller|bigger smaller|longer shorter|older younger
earlier later|faster slower|better worse|best worst|stronger weaker|easier harder|wider narrower|richer poorer
heavier lighter|warmer colder|hotter colder|deeper shallower|highest lowest|largest smallest
increase decrease|increased decreased|increases decreases|increasing decreasing|rise fall|rose fell|rises falls
gain lose|gained lost|gains loses|win lose|won lost|wins loses|winner loser|victory defeat|success failure
successful unsuccessful|succeeded failed|succeeds fails|improve worsen|improved worsened|improves worsens
improvement deterioration|above below|before after|over under|up down|inside outside|first last|early late
high low|large small|big small|long short|strong weak|good bad|true false|same different|similar different
open closed|opened closed|start end|started ended|begin end|began ended|entered left|arrive depart|arrived departed
positive negative|maximum minimum|majority minority|include exclude|included excluded|includes excludes
allow forbid|allowed forbidden|accept reject|accepted rejected|accepts rejects|agree disagree|agreed disagreed
legal illegal|possible impossible|safe unsafe|effective ineffective|significant insignificant|likely unlikely
known unknown|common rare|frequent rare|popular unpopular|important unimportant|able unable|willing unwilling
approve reject|approved rejected|support oppose|supported opposed|supports opposes|north south|east west
northern southern|eastern western|buy sell|bought sold|import export|imported exported|love hate|loved hated
friend enemy|allies enemies|male female|men women|man woman|boy girl|husband wife|father mother|son daughter
brother sister|king queen|rich poor|wealthy poor|light dark|wet dry|full empty|alive dead|born died|birth death
young old|new old|modern ancient|private public|internal external|domestic foreign|local national|ancient modern
add remove|added removed|adds removes|raise lower|raised lowered|raises lowers|enhance weaken|enhanced weakened
enhances weakens|benefit harm|benefits harms|help hinder|helped hindered|helps hinders|prevent cause|prevented caused
prevents causes|increasing declining|growth decline|grew shrank|grow shrink|grows shrinks|expanded contracted
present absent|presence absence|with without|always never|everything nothing|everyone no-one|success failure
"""
QUANTIFIERS = {
    "all": "some", "every": "no", "each": "no", "most": "few", "many": "few", "few": "many", "some": "no",
    "always": "sometimes", "usually": "rarely", "often": "rarely", "rarely": "often", "seldom": "often",
    "sometimes": "always", "several": "no", "both": "neither", "neither": "both", "none": "all",
    "majority": "minority", "minority": "majority", "entire": "partial", "whole": "partial", "only": "also",
    "mostly": "rarely", "frequently": "rarely", "largely": "barely", "mainly": "barely",
}  # fmt: skip
MODALS = {
    "may": "must", "might": "must", "could": "must", "can": "must", "will": "might", "would": "might",
    "must": "may", "should": "may", "possibly": "certainly", "probably": "certainly", "likely": "certainly",
    "certainly": "possibly", "definitely": "possibly", "perhaps": "certainly", "suggests": "proves",
    "suggested": "proved", "suggest": "prove", "proves": "suggests", "proved": "suggested", "proven": "suggested",
}  # fmt: skip
# Synonyms of one sense (a faithful rewording): each pair both ways.
SYNONYMS = """
reduced decreased|reduce decrease|reduces decreases|reduction decrease|lower reduced|large big|big large
start begin|started began|starts begins|help assist|helped assisted|helps assists|show demonstrate
showed demonstrated|shows demonstrates|about approximately|around approximately|buy purchase|bought purchased
use employ|used employed|uses employs|get obtain|got obtained|gets obtains|end finish|ended finished
rapid fast|quick fast|quickly rapidly|big large|huge enormous|small little|tiny small|chief main|main principal
main primary|major main|study trial|studies trials|patients participants|participants patients|people individuals
children kids|film movie|movie film|famous well-known|known recognized|died passed|country nation|town city
correct right|incorrect wrong|begin commence|stop cease|stopped ceased|shown demonstrated|find discover
found discovered|finds discovers|think believe|thought believed|thinks believes|said stated|says states
"""
AUXILIARIES = (
    "is are was were am be been can could will would should shall may might must has have had does do did".split()
)
NEGATION_REMOVALS = {"never": "always", "no": "some", "none": "all", "nobody": "somebody", "nothing": "something",
                     "cannot": "can", "without": "with"}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
NAME = re.compile(r"\b[A-Z][a-zA-Z'-]+(?:\s+(?:(?:of|de|la|von|van|del|der)\s+)?[A-Z][a-zA-Z'-]+)*")


def _pairs(text: str) -> dict[str, str]:
    """Both directions of each "a b" pair of `text` (pairs separated by "|" or a line end)."""
    table: dict[str, str] = {}
    for pair in re.split(r"[|\n]", text):
        words = pair.split()
        if len(words) == 2:
            a, b = words
            table.setdefault(a, b)
            table.setdefault(b, a)
        elif words:
            raise ValueError(f"not a pair: {pair!r}")
    return table


OPPOSITE = _pairs(OPPOSITES)
SYNONYM = _pairs(SYNONYMS)


@dataclass(frozen=True)
class Alteration:
    family: str
    before: str
    after: str
    text: str


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _swap_words(claim: str, table: dict[str, str], family: str) -> list[Alteration]:
    out = []
    for match in WORD.finditer(claim):
        word = match.group(0)
        new = table.get(word.lower())
        if new:
            text = claim[: match.start()] + _cased(new, word) + claim[match.end() :]
            out.append(Alteration(family, word, _cased(new, word), text))
    return out


def _negations(claim: str) -> list[Alteration]:
    out = []
    negated = re.search(r"\b(\w+)(n't| not)\b", claim)
    if negated:  # remove the negation: "did not lead" -> "did lead", "doesn't" -> "does"
        word = negated.group(1)
        base = {"ca": "can", "wo": "will", "sha": "shall"}.get(word.lower(), word)
        text = claim[: negated.start()] + base + claim[negated.end() :]
        out.append(Alteration("negation", negated.group(0), base, text))
    for match in WORD.finditer(claim):
        new = NEGATION_REMOVALS.get(match.group(0).lower())
        if new:
            text = claim[: match.start()] + _cased(new, match.group(0)) + claim[match.end() :]
            out.append(Alteration("negation", match.group(0), new, text))
    if not out:  # add one after the first auxiliary or copula
        for match in WORD.finditer(claim):
            word = match.group(0)
            if word.lower() in AUXILIARIES:
                added = "cannot" if word.lower() == "can" else f"{word} not"
                text = claim[: match.start()] + _cased(added, word) + claim[match.end() :]
                out.append(Alteration("negation", word, added, text))
                break
    return out


COMMON_COUNT = 100_000  # an English word this frequent opening a claim is no name ("The", "Most", "During")


def _names(claim: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the claim's names: runs of capitalised words, less a common word that
    opens the claim ("The Washington Post" -> "Washington Post")."""
    from qa.wording import english

    table = english()
    found = []
    for match in NAME.finditer(claim):
        start, text = match.start(), match.group(0)
        if start == 0:
            first = text.split()[0]
            if table[first.lower()] >= COMMON_COUNT:
                rest = text[len(first) :].lstrip()
                if not rest:
                    continue
                start, text = match.end() - len(rest), rest
        found.append((start, match.end(), text))
    return found


def _roles(claim: str) -> list[Alteration]:
    """The first two different names with a verb or preposition between them swapped ("Smith beat
    Jones"; not "Smith and Jones", whose swap says the same)."""
    names = _names(claim)
    for i, (a_start, a_end, a) in enumerate(names):
        for b_start, b_end, b in names[i + 1 :]:
            between = re.findall(r"[a-z][a-z'-]*", claim[a_end:b_start])
            if b != a and any(word not in ("and", "or", "nor") for word in between):
                text = claim[:a_start] + b + claim[a_end:b_start] + a + claim[b_end:]
                return [Alteration("role", a, b, text)]
    return []


FAMILIES = ("negation", "direction", "quantifier", "modality", "role")


def alterations(claim: str) -> list[Alteration]:
    """Every single-edit opposite of `claim` this module knows how to make (see the module docstring)."""
    found = (
        _negations(claim)
        + _swap_words(claim, OPPOSITE, "direction")
        + _swap_words(claim, QUANTIFIERS, "quantifier")
        + _swap_words(claim, MODALS, "modality")
        + _roles(claim)
    )
    return [a for a in found if a.text != claim]


def rewordings(claim: str) -> list[Alteration]:
    """Faithful single-word rewordings of `claim` (synonyms of one sense)."""
    return [a for a in _swap_words(claim, SYNONYM, "synonym") if a.text != claim]


# A new user's tries against the default corpus's paragraph on the cocaine trial (issue 25): the
# passage says "...led to significantly more abstinence and lower relapse risk compared to a control."
USER_PASSAGE_HOLDS = "significantly more abstinence"
USER_CLAIMS = (
    ("A single ketamine infusion led to more relapse compared to a control. [1]", False),
    ("Mindfulness-based therapy alone led to more abstinence than ketamine. [1]", False),
    ("Ketamine cured cocaine addiction in most patients. [1]", False),
    ("A single ketamine infusion plus mindfulness-based therapy led to less relapse compared to a control. [1]", True),
)


def user_passage() -> str | None:
    """The default corpus's paragraph that holds `USER_PASSAGE_HOLDS`, or None."""
    from bench.devsets import ROOT

    for path in sorted((ROOT / "corpus").glob("*")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            if USER_PASSAGE_HOLDS in paragraph:
                return paragraph
    return None


def main(argv: list[str] | None = None) -> int:
    from bench.report import machine_line, write_section
    from bench.support_data import CachedScorer, load_dev
    from qa.eval.support import sentence_support

    parser = argparse.ArgumentParser(prog="python -m bench.contradictions", description=__doc__.split("\n")[0])
    parser.add_argument("--per-claim", type=int, default=3, help="alterations per family and claim (default 3: the first three)")
    parser.add_argument("--timed", type=int, default=100, help="originals judged again, uncached, to time the check (default 100)")
    parser.add_argument("--dry-run", action="store_true", help="print without writing BENCHMARKS.md")
    args = parser.parse_args(argv)
    kept_out = [r for r in load_dev() if r.part == "kept-out"]
    rows = [r for r in kept_out if r.supported]
    scorer = CachedScorer()
    began = time.time()

    def check(text: str, passages: list[str]) -> bool:
        return sentence_support(text, passages, scorer=scorer).supported

    accepted = {}
    by_family: dict[str, dict[str, list[int]]] = {}
    reworded: dict[str, list[int]] = {}
    examples: dict[str, str] = {}
    for row in rows:
        accepted[row.id] = check(row.claim, row.passages)
        per_family: dict[str, int] = {}
        for alteration in alterations(row.claim):
            if per_family.get(alteration.family, 0) >= args.per_claim:
                continue
            per_family[alteration.family] = per_family.get(alteration.family, 0) + 1
            rejected = not check(alteration.text, row.passages)
            counts = by_family.setdefault(alteration.family, {}).setdefault(row.source, [0, 0])
            counts[0] += rejected
            counts[1] += 1
            if not rejected and alteration.family not in examples:
                examples[alteration.family] = f"{alteration.before} -> {alteration.after}: {alteration.text[:140]}"
        for rewording in rewordings(row.claim)[: args.per_claim]:
            counts = reworded.setdefault(row.source, [0, 0])
            counts[0] += check(rewording.text, row.passages)
            counts[1] += 1
    verdicts = {r.id: check(r.claim, r.passages) for r in kept_out}  # every human label, for agreement
    scorer.save()
    timings = []
    sentence_support(rows[0].claim, rows[0].passages)  # loads the models
    for row in rows[: args.timed]:  # the real cross-encoder, warm: what a user's check costs
        start = time.perf_counter()
        sentence_support(row.claim, row.passages)
        timings.append(time.perf_counter() - start)

    sources = sorted({r.source for r in rows})

    def cell(counts: list[int] | None) -> str:
        return f"{counts[0] / counts[1]:.3f} ({counts[1]})" if counts and counts[1] else "—"

    def pooled(table: dict[str, list[int]]) -> list[int]:
        return [sum(c[0] for c in table.values()), sum(c[1] for c in table.values())]

    lines = [
        "## Contradictions: supported claims turned into their opposite",
        "",
        f"`python -m bench.contradictions`: the {len(rows)} kept-out human-labelled *supported* claims of the dev support "
        f"set ({', '.join(sources)}), each altered by one edit at a time (`bench/contradictions.py`: up to "
        f"{args.per_claim} per family and claim), judged by the shipped support check with the passages the humans judged them "
        f"against; {machine_line()}; {time.time() - began:.0f} s. Bar (issue 25): ≥ 0.90 of each family rejected, "
        "≥ 0.88 of the originals accepted.",
        "",
        "| | " + " | ".join(sources) + " | all |",
        "|---|" + "---:|" * (len(sources) + 1),
    ]
    originals = {s: [sum(accepted[r.id] for r in rows if r.source == s), sum(r.source == s for r in rows)] for s in sources}
    lines.append("| originals accepted | " + " | ".join(cell(originals[s]) for s in sources) + f" | {cell(pooled(originals))} |")
    for family in FAMILIES:
        table = by_family.get(family, {})
        lines.append(f"| {family}: rejected | " + " | ".join(cell(table.get(s)) for s in sources) + f" | {cell(pooled(table))} |")
    lines.append("| rewordings (synonyms) accepted | " + " | ".join(cell(reworded.get(s)) for s in sources) + f" | {cell(pooled(reworded))} |")
    lines += ["", "The same check on every kept-out human label (supported or not), as agreement with people:", "",
              "| source | labels | balanced accuracy | precision (supported) |", "|---|---:|---:|---:|"]
    for source in sources:
        mine = [r for r in kept_out if r.source == source]
        said = [verdicts[r.id] for r in mine]
        truth = [r.supported for r in mine]
        recall_yes = sum(s and t for s, t in zip(said, truth)) / max(1, sum(truth))
        recall_no = sum(not s and not t for s, t in zip(said, truth)) / max(1, sum(not t for t in truth))
        precision = sum(s and t for s, t in zip(said, truth)) / max(1, sum(said))
        lines.append(f"| {source} | {len(mine)} | {(recall_yes + recall_no) / 2:.3f} | {precision:.3f} |")
    passage = user_passage()
    if passage:
        lines += ["", "A new user's tries against the default corpus's paragraph on the cocaine trial (\"...led to significantly "
                  "more abstinence and lower relapse risk compared to a control\"):", "",
                  "| claim | should | the check | its reason |", "|---|---|---|---|"]
        for claim, faithful in USER_CLAIMS:
            verdict = sentence_support(claim, [passage])
            lines.append(f"| {claim} | {'pass' if faithful else 'fail'} | {'pass' if verdict.supported else 'fail'} | "
                         f"{verdict.reason} |")
    median_ms = statistics.median(timings) * 1000 if timings else float("nan")
    lines += ["", f"Median time to judge one sentence: {median_ms:.1f} ms ({len(timings)} originals, the real "
              "cross-encoder warm, nothing cached; bar ≤ 25 ms).", "", "Let through, the first of each family:", ""]
    lines += [f"- {family}: {examples[family]}" for family in FAMILIES if family in examples]
    print("\n".join(lines))
    if not args.dry_run:
        write_section("contradictions", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
