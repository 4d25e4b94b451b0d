"""The `follow` dev set: squad2 questions asked as follow-ups, a name turned into a pronoun.

What it does: `pronoun_follow_ups(squad)` takes each squad2 question (answerable or not) that
names something an earlier answerable question of its article named, turns that name into "it",
"they" or "them" where it stands as a noun phrase of its own (`as_pronoun`), and asks it after
that earlier exchange. These follow-ups lean on the conversation, and half of them the article
does not answer: coqa's follow-ups are all answerable, so only this set shows whether a leaning
follow-up that the documents do not answer is refused. The rules are rough on purpose: some
questions read clumsily ("the fewest Protestants in it"), answerable and unanswerable alike.
What it does not: load or split sets (see `bench.data.devsets`, which calls it) or ask anything.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bench.data.dev_case import DevCase, article_of

SUBJECT_AFTER = frozenset("what when where why how which who whom whose did do does was were is are has have had will would can could".split())
AUXILIARIES = frozenset("did do does was were is are has have had will would can could".split())
FOLLOWS_A_NAME = frozenset("is was are were has have had did do does will would can could may might first last become became "
                           "begin began start started use used ? , . in on at to for from with by during after before".split())
NAME = re.compile(r"\b[A-Z][\w'\-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'\-]*)*")
QUESTION_OPENERS = frozenset("what when where why how which who whom whose did do does was were is are in on at to for by".split())


def _names(question: str) -> list[str]:
    """The capitalised names of a question, longest first, then in alphabetical order (not its
    opening wh-word): the same order in every process, whatever its hash seed."""
    found = []
    for match in NAME.finditer(question):
        words = match.group(0).split()
        if match.start() == 0 and words[0].lower() in QUESTION_OPENERS:
            words = words[1:]
        if words and not (len(words) == 1 and words[0].lower() in QUESTION_OPENERS):
            found.append(" ".join(words))
    return sorted(set(found), key=lambda name: (-len(name), name))


def as_pronoun(question: str, name: str) -> str | None:
    """The question with `name` (and a "the" before it) turned into a pronoun, when the question
    names it as a noun phrase of its own (not "the Warsaw Ghetto", not "a Scottish Parliament")."""
    match = re.search(rf"(?<![^\s\"(])(?:[Tt]he\s+)?{re.escape(name)}\b(?![&'’\-])", question)
    if not match or len(name) < 2 or re.search(r"['’]s$", name):  # a possessive is no noun phrase of its own
        return None
    after = re.findall(r"[\w']+|[?,.]", question[match.end():])
    before = re.findall(r"[\w']+", question[: match.start()])
    rest = question[match.end():].strip()
    # Not after an article ("a prominent Huguenot") or a conjunction ("French and Huguenots").
    if not before or {w.lower() for w in before[-2:]} & {"a", "an"} or before[-1].lower() in ("and", "or") or (after and after[0][:1].isupper()):
        return None
    # What follows must not be a noun the name qualifies ("Huguenot churches"): a word that follows
    # a name, or after an auxiliary ("did the Huguenots settle") the verb.
    plural = name.endswith("s") and not name.endswith("ss")
    if after and after[0].lower() not in FOLLOWS_A_NAME and not (plural and before[-1].lower() in AUXILIARIES):
        return None
    if rest[:1] == "." and rest[1:].strip():  # an abbreviation cut short ("U.S.")
        return None
    subject = before[-1].lower() in SUBJECT_AFTER
    pronoun = ("they" if subject else "them") if plural else "it"
    return question[: match.start()] + pronoun + question[match.end():]


def pronoun_follow_ups(squad: list[DevCase]) -> list[DevCase]:
    """Each squad2 question (answerable or not) that names something an earlier answerable
    question of its article named, with that name turned into a pronoun ("it", "they", "them"),
    asked after that question answered by its gold answer or (every other case) its gold passage."""
    by_article: dict[str, list[DevCase]] = {}
    for case in squad:
        by_article.setdefault(article_of(case), []).append(case)
    cases = []
    for article_cases in by_article.values():
        for i, case in enumerate(article_cases):
            for name in _names(case.question):
                question = as_pronoun(case.question, name)
                before = next((article_cases[j] for j in range(i - 1, -1, -1)
                               if article_cases[j].answerable and article_cases[j].gold_text and name in article_cases[j].question), None)
                if question and before:
                    said = before.gold_text[0][:400] if i % 2 else before.answers[0]
                    history = ({"role": "user", "content": before.question}, {"role": "assistant", "content": said})
                    cases.append(replace(case, set="follow", kind="follow", turns=(before.question, question), history=history,
                                         extra={"article": article_of(case)}))
                    break
    order = {case.id: n for n, case in enumerate(squad)}  # the file's shuffled order, so --limit samples fairly
    return sorted(cases, key=lambda c: order[c.id])
