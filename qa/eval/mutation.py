"""Perturb one number or name of a sentence, many ways: the raw material of the mutation test.

A good support check flags a sentence whose dose, count, year, author or journal was changed,
and leaves the faithful sentence alone. `perturbations(sentence, vocabulary)` returns every
single-change variant of a sentence it knows how to make, each a `Mutation(kind, before, after,
text)`:

- `digit`: one digit of a number changed (the last digit +1, the first digit +1; "96" -> "97",
  "96" -> "06" is skipped as a leading zero);
- `year`: a year moved by one and by ten, and replaced by another year of the corpus;
- `dose`: a dose replaced by another value with the same unit ("0.8 mg/kg" -> "0.5 mg/kg");
- `unit`: a unit swapped within its family ("mg/kg" -> "mg", "minutes" -> "hours",
  "weeks" -> "months", "%" -> "-fold");
- `spelled`: a spelled number changed ("three" -> "four", "two" -> "three");
- `author`: an author surname replaced by another author of the corpus;
- `journal`: a journal abbreviation replaced by another journal of the corpus;
- `acronym`: a condition acronym swapped (AUD, OUD, CUD, SUD; FDA -> EMA);
- `direction` (only when asked for: not a number or a name): a direction or negation word
  flipped ("lower" -> "higher", "more" -> "fewer", "no" -> "an").

`corpus_vocabulary(texts)` collects the authors, journals and years of the documents, so swaps use
real alternatives ("Grabski" -> "Dakwar"), the hardest kind for a check that only asks whether a
name appears somewhere. `mutation_test(statements, vocabulary, check)` runs a check on faithful
(sentence, passages) pairs and on every perturbation of them, and returns both flag rates
(`MutationReport`). Deterministic order, no randomness.
What it does not: judge anything (see `qa.eval.support`) or run the system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.eval.support import MARKER, QUANTITY, SMALL_NUMBERS, UNIT_SPELLINGS

DOSE_VALUES = ("0.5", "0.8", "1.5", "0.25", "2")
UNIT_SWAPS = {
    "mg/kg": ("mg", "g/kg"), "mg": ("g", "mcg"), "g": ("mg",), "mcg": ("mg",), "ml": ("l",),
    "%": ("-fold",), "percent": ("-fold",),
    "minutes": ("hours", "seconds"), "minute": ("hour",), "min": ("h",),
    "hours": ("minutes", "days"), "hour": ("minute",), "h": ("min",),
    "days": ("weeks",), "day": ("week",), "weeks": ("months", "days"), "week": ("month",),
    "months": ("weeks", "years"), "month": ("week", "year"), "years": ("months",), "year": ("month",),
}  # fmt: skip
# Not a number or a name: reported apart (`EXTRA_KINDS`), to show what the check cannot see.
DIRECTION_SWAPS = {
    "more": "fewer", "fewer": "more", "less": "more", "higher": "lower", "lower": "higher",
    "increased": "decreased", "reduces": "increases", "reduced": "increased", "enhanced": "weakened",
    "significantly": "not significantly", "no": "an",
}  # fmt: skip
NUMBER_AND_NAME_KINDS = ("digit", "year", "dose", "unit", "spelled", "author", "journal", "acronym")
EXTRA_KINDS = ("direction",)
ACRONYM_SWAPS = {"AUD": ("OUD", "CUD"), "OUD": ("AUD",), "CUD": ("AUD",), "SUD": ("AUD",), "FDA": ("EMA",)}
AUTHOR_IN_TEXT = re.compile(r"\b([A-Z][A-Za-z'-]+) et al\.")
AUTHOR_IN_REFERENCE = re.compile(r"(?:^|\]\s|,\s)([A-Z][A-Za-z'-]+) [A-Z]{1,3}(?=,|\.)", re.M)
JOURNAL = re.compile(r"(?:et al\.,|\.)\s+((?:[A-Z][A-Za-z]*\.? ?){1,5}?)\.\s+(?:19|20)\d{2}\s*[;:]")
YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?![\d])")


@dataclass(frozen=True)
class Vocabulary:
    """Authors, journals and years found in the corpus: the pool that swaps draw from."""

    authors: tuple[str, ...]
    journals: tuple[str, ...]
    years: tuple[str, ...]


@dataclass(frozen=True)
class Mutation:
    """One changed sentence: `before` became `after` in `text`."""

    kind: str
    before: str
    after: str
    text: str


def corpus_vocabulary(texts: list[str]) -> Vocabulary:
    """The authors ("Grabski", "Krupitsky"), journals ("Am J Psychiatry", "J Psychoactive Drugs")
    and years of `texts`, each once, in order of first appearance."""
    authors: list[str] = []
    journals: list[str] = []
    years: list[str] = []
    for text in texts:
        for match in AUTHOR_IN_TEXT.finditer(text):
            _add(authors, match.group(1))
        for match in AUTHOR_IN_REFERENCE.finditer(text):
            _add(authors, match.group(1))
        for match in JOURNAL.finditer(text):
            _add(journals, match.group(1).strip())
        for match in YEAR.finditer(text):
            _add(years, match.group(0))
    return Vocabulary(tuple(authors), tuple(journals), tuple(years))


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _masked(sentence: str) -> str:
    """The sentence with citation markers blanked out (same length), so they are never changed."""
    return MARKER.sub(lambda m: " " * len(m.group(0)), sentence)


def perturbations(sentence: str, vocabulary: Vocabulary, kinds=NUMBER_AND_NAME_KINDS) -> list[Mutation]:
    """Every single-change variant of `sentence` of the given kinds (see the module docstring),
    each different from the sentence and from the others."""
    masked = _masked(sentence)
    found: list[Mutation] = []

    def add(kind: str, start: int, end: int, new: str) -> None:
        before = sentence[start:end]
        text = _replace(sentence, start, end, new)
        if kind in kinds and text != sentence and all(m.text != text for m in found):
            found.append(Mutation(kind, before, new, text))

    years = {m.start() for m in YEAR.finditer(masked)}
    for match in re.finditer(r"\d+(?:\.\d+)?", masked):
        start, end, number = match.start(), match.end(), match.group(0)
        if start in years:
            year = int(number)
            for new in (str(year + 1), str(year - 10)):
                add("year", start, end, new)
            for other in vocabulary.years:
                if other != number:
                    add("year", start, end, other)
                    break
            continue
        digits = [i for i, char in enumerate(number) if char.isdigit()]
        last, first = digits[-1], digits[0]
        add("digit", start, end, number[:last] + str((int(number[last]) + 1) % 10) + number[last + 1 :])
        bumped = str((int(number[first]) + 1) % 10)
        if not (bumped == "0" and first == 0 and len(digits) > 1):
            add("digit", start, end, number[:first] + bumped + number[first + 1 :])
    for match in QUANTITY.finditer(masked):
        unit = match.group("unit")
        if not unit:
            continue
        number_start, number_end = match.span("number")
        unit_start, unit_end = match.span("unit")
        written = sentence[unit_start:unit_end]
        if UNIT_SPELLINGS.get(written.lower()) in ("mg", "g", "ug", "ml") or "/" in written:
            for value in DOSE_VALUES:
                if value != match.group("number"):
                    add("dose", number_start, number_end, value)
                    break
        for new in UNIT_SWAPS.get(written.lower(), ()):
            add("unit", unit_start, unit_end, new)
    for match in re.finditer(r"\b(" + "|".join(SMALL_NUMBERS) + r")\b", masked, re.I):
        word = match.group(1)
        value = SMALL_NUMBERS[word.lower()]
        spelled = {v: k for k, v in SMALL_NUMBERS.items()}
        new = spelled.get(value + 1, "one")
        add("spelled", match.start(), match.end(), new.capitalize() if word[0].isupper() else new)
    for author in vocabulary.authors:
        for match in re.finditer(rf"\b{re.escape(author)}\b", masked):
            for other in vocabulary.authors:
                if other != author:
                    add("author", match.start(), match.end(), other)
    for journal in vocabulary.journals:
        for match in re.finditer(rf"(?<![A-Za-z]){re.escape(journal)}(?![A-Za-z])", masked):
            for other in vocabulary.journals:
                if other != journal:
                    add("journal", match.start(), match.end(), other)
    for acronym, swaps in ACRONYM_SWAPS.items():
        for match in re.finditer(rf"\b{acronym}\b", masked):
            for other in swaps:
                add("acronym", match.start(), match.end(), other)
    for match in re.finditer(r"\b(" + "|".join(DIRECTION_SWAPS) + r")\b", masked, re.I):
        word = match.group(1)
        new = DIRECTION_SWAPS[word.lower()]
        add("direction", match.start(), match.end(), new.capitalize() if word[0].isupper() else new)
    return found


@dataclass
class MutationReport:
    """How the support check treats faithful sentences and their perturbed copies."""

    unperturbed: int
    unperturbed_flagged: list[tuple[str, str]]  # (sentence, reason)
    perturbed: int
    perturbed_flagged: int
    by_kind: dict[str, tuple[int, int]]  # kind -> (flagged, total)
    missed: list[tuple[Mutation, str]]  # perturbations the check let through, with its reason

    @property
    def unperturbed_flag_rate(self) -> float:
        return len(self.unperturbed_flagged) / self.unperturbed if self.unperturbed else 0.0

    @property
    def perturbed_flag_rate(self) -> float:
        return self.perturbed_flagged / self.perturbed if self.perturbed else 0.0

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {flagged}/{total}" for kind, (flagged, total) in sorted(self.by_kind.items()))
        return (
            f"perturbed sentences flagged: {self.perturbed_flagged}/{self.perturbed} = {self.perturbed_flag_rate:.3f} "
            f"({kinds}); unperturbed sentences flagged: {len(self.unperturbed_flagged)}/{self.unperturbed} "
            f"= {self.unperturbed_flag_rate:.3f}"
        )


def mutation_test(statements, vocabulary: Vocabulary, check, kinds=NUMBER_AND_NAME_KINDS) -> MutationReport:
    """Run `check(sentence, passages) -> SupportResult` on each (sentence, passages) pair and on
    every perturbation of the sentences it supports (a sentence the check already rejects says
    nothing about perturbations, so its copies are left out; it counts as a false flag)."""
    flagged_plain: list[tuple[str, str]] = []
    by_kind: dict[str, list[int]] = {}
    missed: list[tuple[Mutation, str]] = []
    statements = list(dict.fromkeys((text, tuple(passages)) for text, passages in statements))
    for text, passages in statements:
        verdict = check(text, list(passages))
        if not verdict.supported:
            flagged_plain.append((text, verdict.reason))
            continue
        for mutation in perturbations(text, vocabulary, kinds):
            result = check(mutation.text, list(passages))
            counts = by_kind.setdefault(mutation.kind, [0, 0])
            counts[0] += not result.supported
            counts[1] += 1
            if result.supported:
                missed.append((mutation, result.reason))
    return MutationReport(
        unperturbed=len(statements),
        unperturbed_flagged=flagged_plain,
        perturbed=sum(total for _, total in by_kind.values()),
        perturbed_flagged=sum(flagged for flagged, _ in by_kind.values()),
        by_kind={kind: (flagged, total) for kind, (flagged, total) in by_kind.items()},
        missed=missed,
    )
