"""One-edit opposites of a claim, and faithful rewordings: the material of the contradiction benchmark and of the support head's training pairs.

What it does: `alterations(claim)` returns every single-edit variant of a claim that says the
opposite, each an `Alteration(family, before, after, text)`, by family:
- `negation`: a negation added after the first auxiliary or copula ("is" -> "is not", "can" ->
  "cannot"), or one removed ("did not lead" -> "did lead", "never" -> "always", "no" -> "some");
- `direction`: a direction, comparison or polar word replaced by its opposite ("more" -> "less",
  "increased" -> "decreased", "before" -> "after", "effective" -> "ineffective");
- `quantifier`: a quantity word changed ("all" -> "no", "most" -> "few", "always" -> "never");
- `modality`: a hedge made a certainty ("may" -> "must", "suggests" -> "proves", "possibly" ->
  "certainly").
A change that only weakens a claim ("must" -> "may", "all" -> "some") is left out: the source
still backs the weaker claim, so it is no opposite.
- `role`: two names swapped ("Smith defeated Jones" -> "Jones defeated Smith").
`rewordings(claim)` returns faithful variants (a word replaced by a synonym of the same sense:
"reduced" -> "decreased", "large" -> "big"), which a support check must keep accepting.
The lexicons are general English (opposites and synonyms of everyday and scientific prose, in all
their inflections), not the words of a few test sentences. Case is kept; one edit per variant;
deterministic order.
What it does not: judge anything, or read any data.
"""

from __future__ import annotations

import re
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
    "all": "no", "every": "no", "each": "no", "most": "few", "many": "few", "few": "many", "some": "no",
    "always": "never", "usually": "rarely", "often": "rarely", "rarely": "often", "seldom": "often",
    "sometimes": "always", "several": "no", "both": "neither", "neither": "both", "none": "all",
    "majority": "minority", "minority": "majority", "only": "also",
    "mostly": "rarely", "frequently": "rarely", "largely": "barely", "mainly": "barely",
}  # fmt: skip
MODALS = {
    "may": "must", "might": "must", "could": "must", "can": "must", "possibly": "certainly", "probably": "certainly",
    "likely": "certainly", "perhaps": "certainly", "suggests": "proves", "suggested": "proved", "suggest": "prove",
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
    from qa.text.wording import english

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
