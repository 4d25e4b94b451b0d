"""Answer-level metrics: small pure functions over answers and cases.

- `must_include_hits(answer_text, facts)`: which expected facts the answer contains
  (case-insensitive substring, whitespace folded).
- `forbidden_hits(answer_text, forbidden)`: which forbidden strings it contains.
- `quote_is_exact(citation, stored_text)`: the quote is exactly the stored span it claims.
What it does not: run the system (see `cases`).
"""

from __future__ import annotations

import re


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def must_include_hits(answer_text: str, facts) -> list[str]:
    folded = _fold(answer_text)
    return [fact for fact in facts if _fold(fact) in folded]


def forbidden_hits(answer_text: str, forbidden) -> list[str]:
    folded = _fold(answer_text)
    return [item for item in forbidden if _fold(item) in folded]


def quote_is_exact(citation: dict, stored_text: str | None) -> bool:
    """True when `stored_text[start:end] == quote` (a missing document is never exact)."""
    if stored_text is None:
        return False
    start, end = citation["start"], citation["end"]
    return 0 <= start < end <= len(stored_text) and stored_text[start:end] == citation["quote"]
