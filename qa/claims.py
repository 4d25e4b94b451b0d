"""Source questions: find the claim whose reference a question asks for.

What it does: "Which paper is cited for the claim that ketamine enhances motivation?" asks for the
bibliography entry behind a claim; the sentence to find is the one that *makes the claim*, and
its marker ("[4]") leads to the entry. Scored whole, the question matches sentences that talk
about papers and reviews instead, so `source_claim` returns just the claim ("ketamine enhances
motivation"), which the chain scores sentences against. A follow-up such as "Which reference is
cited for that? (reduce drug cravings)" — the condensed form — yields the context in parentheses.
What it does not: attach the bibliography entry (see `extractive.complete`) or decide to answer.
"""

from __future__ import annotations

import re

# "...cited for X", "...cite as the source of X", "the source/reference for X", "...supports the claim that X".
SOURCE_OF_CLAIM = re.compile(
    r"\b(?:cited?|cites|referenced)\s+(?:for|as (?:the )?(?:source|evidence|support) (?:of|for)|to support|in support of)\s+(?P<a>.+)"
    r"|\b(?:source|reference|citation|paper|study)\s+(?:for|of|behind|supporting)\s+(?P<b>.+)"
    r"|\b(?:supports?|backs?)\s+(?:up\s+)?(?:the\s+(?:claim|statement|idea|finding)\s+)?that\s+(?P<c>.+)",
    re.I,
)
CLAIM_LEAD = re.compile(r"^(?:the\s+|its\s+|their\s+)?(?:claim|statement|idea|finding|point|assertion|view)s?\s+(?:that\s+)?", re.I)
POINTER = re.compile(r"^(?:that|this|it|those|these|them)\b[\s?.!]*", re.I)
CONTEXT = re.compile(r"\(([^()]+)\)\s*$")
MIN_CLAIM_WORDS = 2


def source_claim(question: str) -> str | None:
    """The claim `question` asks the source of, or None when it is not such a question."""
    match = SOURCE_OF_CLAIM.search(question)
    if not match:
        return None
    claim = next(group for group in match.groups() if group is not None).strip()
    claim = CLAIM_LEAD.sub("", claim)
    if POINTER.match(claim):
        context = CONTEXT.search(claim)
        claim = context.group(1) if context else ""
    claim = claim.strip(" ?.!")
    return claim if len(claim.split()) >= MIN_CLAIM_WORDS else None
