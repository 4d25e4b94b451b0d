"""Key terms of a claim: the numbers with their units, years, doses, percentages, proper names and
direction or negation words that a supporting passage must state too.

What it does: normalises text (citation markers removed, whitespace and case folded, small spelled
numbers as digits, one spelling per unit), extracts a sentence's `key_terms`, and counts the terms
one passage sentence holds (`_sentence_terms`), for `qa.eval.support`.
What it does not: decide support (see `qa.eval.support`) or score anything with a model.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ingest.sentences import split_sentences

MARKER = re.compile(r"\s*\[\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\]")

SMALL_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip

# Units that bind to the number before them. Each spelling maps to one canonical unit. No bare
# "s" or "d": "1990s" is a decade, not seconds.
UNIT_SPELLINGS = {
    "%": "%", "percent": "%", "per cent": "%", "percentage points": "pp",
    "mg": "mg", "g": "g", "kg": "kg", "mcg": "ug", "ug": "ug", "ng": "ng", "ml": "ml", "dl": "dl",
    "mmol": "mmol", "meq": "meq", "iu": "iu", "mmhg": "mmhg",
    "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "day": "day", "days": "day", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "mos": "month", "month": "month", "months": "month",
    "yr": "year", "yrs": "year", "year": "year", "years": "year",
}  # fmt: skip
_SIMPLE_UNITS = sorted(UNIT_SPELLINGS, key=len, reverse=True)
_UNIT_WORD = "|".join(re.escape(unit) for unit in _SIMPLE_UNITS)
# A number: ".8", "0.8", "2022", "10.1111" (maximal, never the tail of another number).
_NUMBER = r"(?<![\w.])\.\d+|(?<!\d)(?<!\d[.,])\d+(?:[.,]\d+)*"
QUANTITY = re.compile(
    rf"(?P<number>{_NUMBER})"
    rf"(?:\s*-?\s*(?P<unit>(?:{_UNIT_WORD})(?:\s*(?:/|per\b)\s*(?:{_UNIT_WORD}))*)(?![a-z0-9]))?"
)
# "6 and 12 months", "2-4 weeks": the unit of the second number also applies to the first.
SHARED_UNIT = re.compile(r"^\s*(?:and|or|to|-|,)\s*$")
THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)(?![\d,])")
# A span of years with the second shortened ("2018-19", "1998-99", "1999-00"): a later year.
# Not a score ("10-7"), a page range ("923-930") or a date ("2001-05-12").
YEAR_SPAN = re.compile(r"(?<![\d.])((?:1[5-9]|20)(\d\d))-(\d\d)(?![\d-])")

WORD = re.compile(r"[^\W\d_][^\W_]*")
# A month is the same name written short ("Nov 10, 2018", "30 JUN 2018"): dates are written both ways.
MONTH_ABBREVIATIONS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november", "dec": "december",
}  # fmt: skip
# After a capitalised first word, these make it a name: "Krupitsky EM,", "Shen et al.", "Grabski's".
NAME_FOLLOWERS = re.compile(r"^(?:\s+[A-Z]{1,3}\b,?|\s+et\s+al\b|\s+and\s+(?:colleagues|co-?workers)\b|['\u2019]s\b)")
# A bibliography entry: "Krupitsky EM, Burakov AM, ..." or "American Psychiatric Association. (2013)."
BIBLIOGRAPHY_LINE = re.compile(
    r"^(?:\[\d{1,3}\]\s+)?(?:[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)*\s[A-Z]{1,3}[,.]\s|[A-Z][\w '&-]{2,80}\.\s\((?:19|20)\d{2}\)\.)"
)
TITLE_CASE_NEXT = re.compile(r"^\s+[A-Z][a-z]")
# Words that open sentences and are never names, even before a capitalised word ("The Promise").
FUNCTION_WORDS = frozenset(
    "a an the this that these those it its their there here in on at of for to by with from into "
    "and but or nor as if when while after before during since although though however overall "
    "also both each all some most many such our we they he she his her".split()
)

# Direction and negation words: word-level (inflections folded), except that every negation counts
# as one class ("not approved" is backed by "no ... approved") and so does each direction of an
# amount ("less relapse" is backed by "lower relapse risk", "reduced" by "decreased"): which of
# the passage's words a claim's word stands beside is read by the judge's support head.
DIRECTION_WORDS = {
    "more": "UP", "less": "DOWN", "fewer": "DOWN", "higher": "UP", "lower": "DOWN",
    "greater": "UP", "smaller": "smaller", "larger": "larger", "longer": "longer", "shorter": "shorter",
    "increase": "UP", "increased": "UP", "increases": "UP", "increasing": "UP",
    "decrease": "DOWN", "decreased": "DOWN", "decreases": "DOWN", "decreasing": "DOWN",
    "reduce": "DOWN", "reduced": "DOWN", "reduces": "DOWN", "reducing": "DOWN", "reduction": "DOWN",
    "lessen": "DOWN", "lessened": "DOWN", "lessens": "DOWN", "lessening": "DOWN",
    "enhance": "enhance", "enhanced": "enhance", "enhances": "enhance", "enhancing": "enhance",
    "weaken": "weaken", "weakened": "weaken", "weakens": "weaken",
    "improve": "improve", "improved": "improve", "improves": "improve", "improvement": "improve",
    "worsen": "worsen", "worsened": "worsen", "worsens": "worsen", "worse": "worsen",
    "fail": "fail", "failed": "fail", "fails": "fail", "failure": "fail",
    "succeed": "succeed", "succeeded": "succeed", "succeeds": "succeed",
    "no": "NEGATION", "not": "NEGATION", "never": "NEGATION", "none": "NEGATION", "without": "NEGATION",
    "neither": "NEGATION", "nor": "NEGATION", "cannot": "NEGATION", "n't": "NEGATION",
}  # fmt: skip


# Each direction class and its opposite (negation is not a direction: the term veto reads it).
OPPOSITE_CLASS = {
    "UP": "DOWN", "DOWN": "UP", "enhance": "weaken", "weaken": "enhance", "improve": "worsen",
    "worsen": "improve", "fail": "succeed", "succeed": "fail", "smaller": "larger", "larger": "smaller",
    "longer": "shorter", "shorter": "longer",
}  # fmt: skip


@dataclass(frozen=True)
class Term:
    """One key term of a sentence: `kind` is number, name or direction; `key` is what is matched."""

    kind: str
    key: tuple
    surface: str


def strip_citation_markers(text: str) -> str:
    """The text without "[n]" markers (citations and in-text references), whitespace folded."""
    return re.sub(r"\s+", " ", MARKER.sub("", text)).strip()


def strip_markers_by_line(text: str) -> str:
    """`strip_citation_markers` line by line: the lines stay apart, as the sentences of a list do
    ("...control use fail" / "Use continues despite ...")."""
    return "\n".join(strip_citation_markers(line) for line in text.split("\n"))


def fold(text: str) -> str:
    """Lower-cased, NFKC-normalised text with one space for any whitespace, unicode dashes as
    "-", "µ" as "u", thousands separators dropped ("1,000" -> "1000") and small spelled numbers
    as digits ("two weeks" -> "2 weeks"; "one" only before a unit: "one week" -> "1 week") and a
    shortened span of years written out ("2018-19" -> "2018-2019")."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text).replace("\u00b5", "u").replace("\u03bc", "u")
    text = re.sub(r"\s+", " ", text).strip().lower()
    text = THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), text)
    text = YEAR_SPAN.sub(_year_span, text)
    text = re.sub(r"\b(" + "|".join(SMALL_NUMBERS) + r")\b", lambda m: str(SMALL_NUMBERS[m.group(1)]), text)
    return re.sub(rf"\bone(?=\s*-?\s*(?:{_UNIT_WORD})\b)", "1", text)


def _year_span(match: re.Match) -> str:
    first, tail, second = match.group(1), match.group(2), match.group(3)
    if int(second) > int(tail):
        return f"{first}-{first[:2]}{second}"
    if (tail, second) == ("99", "00"):  # "1999-00": into the next century
        return f"{first}-{int(first[:2]) + 1}00"
    return match.group(0)


def _canonical_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    parts = re.split(r"\s*(?:/|\bper\b)\s*", unit.strip())
    return "/".join(UNIT_SPELLINGS.get(part.strip(), part.strip()) for part in parts if part.strip())


def quantities(text: str) -> list[tuple[str, str | None, str]]:
    """(number, canonical unit or None, surface) for every number in `text` (folded first)."""
    folded = fold(strip_citation_markers(text))
    found: list[tuple[str, str | None, str, int, int]] = []
    for match in QUANTITY.finditer(folded):
        number = match.group("number")
        number = "0" + number if number.startswith(".") else number
        found.append((number, _canonical_unit(match.group("unit")), match.group(0).strip(), match.start(), match.end()))
    return [(number, unit, surface) for number, unit, surface, _, _ in found]


def _passage_quantities(folded: str) -> set[tuple[str, str | None]]:
    """Quantities of a folded passage, with a shared unit spread back ("6 and 12 months")."""
    found = []
    for match in QUANTITY.finditer(folded):
        number = match.group("number")
        number = "0" + number if number.startswith(".") else number
        found.append((number, _canonical_unit(match.group("unit")), match.start(), match.end()))
    keys = {(number, unit) for number, unit, _, _ in found}
    for (number, unit, _, end), (_, next_unit, next_start, _) in zip(found, found[1:]):
        if unit is None and next_unit and SHARED_UNIT.match(folded[end:next_start]):
            keys.add((number, next_unit))
    return keys


def _sentence_starts(text: str) -> set[int]:
    """Offsets in `text` where a sentence (or a clause after a colon or semicolon) begins."""
    starts = {0}
    for sentence in split_sentences(text):
        starts.add(sentence.start)
    for match in re.finditer(r"[:;]\s+", text):
        starts.add(match.end())
    return starts


def _is_name(token: str, start: int, end: int, text: str, starts: set[int]) -> bool:
    uppercase = sum(char.isupper() for char in token)
    if uppercase >= 2:  # acronyms and mixed case: AUD, FDA, IV, EM, GluR1, DeWilde
        return True
    if uppercase != 1 or not token[0].isupper() or len(token) < 2:
        return False  # lower-case words and single letters (initials such as "J", "N", "Y")
    lead = text[:start].rstrip("\"'(\u201c\u2018[ -")
    if len(lead) not in starts and start not in starts and lead.strip():
        return True  # capitalised inside a sentence
    if token.lower() in FUNCTION_WORDS:
        return False
    rest = text[end:]
    return bool(NAME_FOLLOWERS.match(rest) or TITLE_CASE_NEXT.match(rest))


def names(text: str) -> list[str]:
    """The proper names of `text` (citation markers stripped first), in order, each once.

    - A word with two or more capitals is a name wherever it stands: acronyms and mixed case
      (AUD, FDA, IV, NMDA, GluR1, DeWilde, author initials such as EM).
    - A capitalised word of two or more letters is a name when it does not open a sentence or a
      clause after a colon or semicolon: Grabski, Dakwar, Psychiatry, Front, Association, Aug.
    - A capitalised word that opens one is a name only when what follows marks it as one: author
      initials ("Krupitsky EM,"), "et al.", "and colleagues", "'s" ("Grabski's"), or another
      capitalised word ("American Psychiatric Association") - and it is not a function word
      ("The Promise of ..."). Otherwise it is an ordinary word written with a capital: "Ketamine
      may help", "Treating ...", "Small studies". So a swapped name standing alone at the very
      start ("Dakwar found ...") is not seen by this test; it is in the middle of a sentence.
    - Not names: single capital letters (initials, the "J" of "Am J Psychiatry"), lower-case
      words, including drug names ("naltrexone", "ketamine"). Hyphens and apostrophes split words
      ("FDA-approved" -> "FDA"). Matching is case-insensitive, as whole words.
    """
    text = strip_citation_markers(text)
    starts = _sentence_starts(text)
    found: list[str] = []
    for match in WORD.finditer(text):
        token = match.group(0)
        if _is_name(token, match.start(), match.end(), text, starts) and token not in found:
            found.append(token)
    return found


def _direction_words(folded: str) -> list[tuple[str, str]]:
    """(key, word) for every direction or negation word of a folded text, in order."""
    found = []
    for word in re.findall(r"[a-z]+(?:n't)?", folded.replace("can't", "cannot")):
        if word.endswith("n't"):
            found.append(("NEGATION", word))
        elif word in DIRECTION_WORDS:
            found.append((DIRECTION_WORDS[word], word))
    return found


def _direction_keys(folded: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for key, word in _direction_words(folded):
        keys.setdefault(key, word)
    return keys


def key_terms(sentence: str) -> list[Term]:
    """What must appear in a passage sentence for `sentence` to be supported, in order of kind.

    - numbers, each with the unit right after it, canonical (`0.8 mg/kg`, `40 minutes` ->
      ("40", "min"), `6-month` -> ("6", "month"), `25 percent` -> ("25", "%"), a year `2022` ->
      ("2022", None)); spelled small numbers count as digits (see `fold`);
    - proper names (see `names`), matched case-insensitively as whole words;
    - direction and negation words (more/less/fewer, higher/lower, increase/decrease/reduce,
      enhance/weaken, improve/worsen, fail/succeed), each direction of an amount as one class
      ("less" is held by "lower" or "reduced", "more" by "higher" or "increased"), and any
      negation as one class.
    Citation markers ("[1]") are stripped first: they are not claims.
    """
    sentence = strip_citation_markers(sentence)
    terms = [Term("number", (number, unit), surface) for number, unit, surface in quantities(sentence)]
    terms += [Term("name", (name.lower(),), name) for name in names(sentence)]
    terms += [Term("direction", (key,), word) for key, word in _direction_keys(fold(sentence)).items()]
    unique: dict[tuple, Term] = {}
    for term in terms:
        unique.setdefault((term.kind, term.key), term)
    return list(unique.values())


@dataclass(frozen=True)
class _SentenceTerms:
    """The key terms one passage sentence holds, with how often it states numbers and words."""

    quantities: frozenset
    numbers: Counter
    words: Counter
    directions: Counter


def _sentence_terms(text: str) -> _SentenceTerms:
    stripped = strip_citation_markers(text)
    folded = fold(stripped)
    quantity_keys = _passage_quantities(folded)
    numbers = Counter(number for number, _, _ in quantities(stripped))
    words = Counter(word.lower() for word in WORD.findall(unicodedata.normalize("NFKC", stripped)))
    for short, month in MONTH_ABBREVIATIONS.items():
        words[month] += words[short]
    directions = Counter(key for key, _ in _direction_words(folded))
    return _SentenceTerms(frozenset(quantity_keys), numbers, words, directions)


