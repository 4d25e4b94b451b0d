"""Show a document's own reference markers as what they are, apart from the answer's citations.

What it does: `shown(quote)` rewrites the bibliography markers inside a quote (`[5]`, `[2, 3]`,
`[2-4]`, and the `[5]` that opens a bibliography entry) as labelled references (`(ref. 5)`,
`(refs. 2, 3)`), so that the only bare `[n]` in an answer are its own citation numbers. `REF_LABEL`
finds those labels again, for the chat to turn them into superscripts linked to their entries.
What it does not: change a citation's `quote`, `start` or `end`: the quote stays verbatim and is
always given raw beside the shown text (`Citation.quote`).
"""

from __future__ import annotations

import re

from ingest.references import MARKER, REFERENCE_ENTRY

REF_LABEL = re.compile(r"\(refs?\. (\d{1,3}(?:(?:, |\u2013)\d{1,3})*)\)")


def _label(numbers: str) -> str:
    parts = [part.strip() for part in re.split(r"\s*,\s*", numbers)]
    parts = ["\u2013".join(bound.strip() for bound in re.split(r"\s*[\u2013-]\s*", part)) for part in parts]
    plural = len(parts) > 1 or "\u2013" in parts[0]
    return f"(ref{'s' if plural else ''}. {', '.join(parts)})"


def shown(quote: str) -> str:
    """`quote` with its bibliography markers as `(ref. n)` labels; everything else unchanged."""
    entry = REFERENCE_ENTRY.match(quote.strip())
    if entry:
        lead = quote[: len(quote) - len(quote.lstrip())]
        return f"{lead}{_label(entry.group(1))} {entry.group(2)}"
    return MARKER.sub(lambda match: _label(match.group(1)), quote)
