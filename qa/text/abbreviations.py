"""Spell out the abbreviations a document uses, so the cross-encoder can match a question's words.

What it does:
- `find_acronyms` / `expand_acronyms`: acronyms the corpus defines itself ("Alcohol Use Disorder
  (AUD)"), written out after each use ("AUD (Alcohol Use Disorder)").
- `expand_journal_names`: journal titles abbreviated the NLM / ISO 4 way inside a citation
  ("Am J Psychiatry. 2019;176(11)") followed by their long form ("(American Journal Psychiatry)"),
  so "published in the American Journal of Psychiatry" finds the trial. Only words of a journal
  title right before ". YEAR;" are touched, from a fixed table of common title-word abbreviations,
  and only when the question uses one of the spelled-out words.
- `spell_out_initials(text, claim)`: an acronym of `text` that a run of the claim's words
  spells out by their initials ("AUD" and "alcohol use disorder") followed by those words, so a
  claim that writes the long form is read against evidence that abbreviates it (the support check).
What it does not: change stored text or quotes; the expansions only feed the reranker's input
(and the support check's reading of its evidence).
"""

from __future__ import annotations

import re

ACRONYM_DEFINITION = re.compile(r"((?:[A-Z][\w-]*\s+){1,5}?[A-Z][\w-]*)\s*\(([A-Z]{2,6})\)")


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms the corpus defines, "Alcohol Use Disorder (AUD)" → {"AUD": "Alcohol Use Disorder"}.

    The long form is cut to as many capitalised words as the acronym has letters, and must start
    with its first letter, so "Key findings (AUD)" is not taken for a definition.
    """
    found: dict[str, str] = {}
    for match in ACRONYM_DEFINITION.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        long_form = words[-len(acronym) :]
        if len(long_form) == len(acronym) and all(w[0].upper() == a for w, a in zip(long_form, acronym)):
            found.setdefault(acronym, " ".join(long_form))
    return found


def expand_acronyms(text: str, acronyms: dict[str, str]) -> str:
    """`text` with each defined acronym followed by its long form, unless the long form is there."""
    for acronym, long_form in acronyms.items():
        if acronym in text and long_form.lower() not in text.lower():
            text = re.sub(rf"\b{re.escape(acronym)}\b", f"{acronym} ({long_form})", text, count=1)
    return text


# Title-word abbreviations of the NLM catalogue (ISO 4) that medical citations use most.
JOURNAL_WORDS = {
    "Acad": "Academy", "Addict": "Addiction", "Adolesc": "Adolescent", "Am": "American", "Ann": "Annals",
    "Arch": "Archives", "Assoc": "Association", "Behav": "Behavior", "Biol": "Biological", "Br": "British",
    "Bull": "Bulletin", "Can": "Canadian", "Clin": "Clinical", "Cogn": "Cognitive", "Curr": "Current",
    "Dep": "Dependence", "Dis": "Disease", "Drug": "Drug", "Engl": "England", "Epidemiol": "Epidemiology",
    "Eur": "European", "Exp": "Experimental", "Front": "Frontiers", "Gen": "General", "Health": "Health",
    "Int": "International", "J": "Journal", "Med": "Medicine", "Ment": "Mental", "Mol": "Molecular",
    "N": "New", "Nat": "Nature", "Neurol": "Neurology", "Neurosci": "Neuroscience",
    "Neuropsychopharmacol": "Neuropsychopharmacology", "Pharmacol": "Pharmacology", "Pract": "Practice",
    "Proc": "Proceedings", "Psychiatr": "Psychiatric", "Psychol": "Psychology", "Psychopharmacol":
    "Psychopharmacology", "Psychosom": "Psychosomatics", "Psychother": "Psychotherapy", "Res": "Research",
    "Rev": "Review", "Sci": "Sciences", "Soc": "Society", "Subst": "Substance", "Ther": "Therapy",
    "Transl": "Translational", "Treat": "Treatment", "Y": "York",
}
# "Am J Psychiatry. 2019;" — up to eight title words (no sentence punctuation) right before ". YEAR;".
JOURNAL_CITATION = re.compile(r"\b((?:[A-Z][A-Za-z]* ){0,7}[A-Z][A-Za-z]*)\. (?:19|20)\d\d ?;")


def expand_journal_names(text: str, question: str | None = None) -> str:
    """`text` with each abbreviated journal title of a citation followed by its long form; given
    a `question`, only titles whose long form shares a spelled-out word with it (the longer text
    would otherwise just dilute the sentence for the reranker)."""
    asked = {word.lower() for word in re.findall(r"[A-Za-z]+", question)} if question is not None else None

    def spell_out(match: re.Match) -> str:
        title = match.group(1)
        words = [word.rstrip(".") for word in title.split()]
        spelled = [JOURNAL_WORDS[word] for word in words if word in JOURNAL_WORDS and JOURNAL_WORDS[word] != word]
        if not spelled or (asked is not None and not any(word.lower() in asked for word in spelled)):
            return match.group(0)
        long_form = " ".join(JOURNAL_WORDS.get(word, word) for word in words)
        return match.group(0).replace(title, f"{title} ({long_form})", 1)

    return JOURNAL_CITATION.sub(spell_out, text)


ACRONYM = re.compile(r"\b[A-Z]{3,6}s?\b")  # two letters match by chance too often


def spell_out_initials(text: str, claim: str) -> str:
    """`text` with each acronym that a run of `claim`'s words spells out by its initials followed
    by those words in brackets: "severe AUD" with the claim "... alcohol use disorder" ->
    "severe AUD (alcohol use disorder)". Unchanged when the claim spells none out."""
    words = re.findall(r"[A-Za-z][A-Za-z-]*", claim)
    initials = "".join(word[0].lower() for word in words)

    def spelled(match: re.Match) -> str:
        acronym = match.group(0).rstrip("s") if len(match.group(0)) > 2 else match.group(0)
        at = initials.find(acronym.lower())
        if len(acronym) < 3 or at < 0:
            return match.group(0)
        return f"{match.group(0)} ({' '.join(words[at : at + len(acronym)])})"

    return ACRONYM.sub(spelled, text)
