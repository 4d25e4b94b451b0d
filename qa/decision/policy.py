"""Questions the system declines before searching: personal medical advice and rule overrides.

What it does: recognises (a) requests for personal dosing or treatment advice ("How much ketamine
should I take?", "what dose for me"), which the documents cannot give safely — they report study
protocols, not a prescription — and (b) attempts to override the rules ("ignore your
instructions", "reveal your system prompt", "developer mode"). `screen(question)` returns a
notice for the user, or None when the question may go on.
What it does not: judge medical content or filter documents; documents are data, never commands.
"""

from __future__ import annotations

import re

PERSONAL_ADVICE = re.compile(
    r"\b(?:should|can|could|may|do|must|shall)\s+i\s+(?:take|use|get|dose|inject|snort|try|start|stop|combine|mix|give)\b"
    r"|\b(?:my|for me)\b.{0,30}\b(?:dose|dosage)\b"
    r"|\b(?:dose|dosage|amount)\b.{0,40}(?:\bfor (?:me|my)\b|\bi (?:can|could|should)\b|\brecommend\b)"
    r"|\bi(?:'m| am)? (?:taking|take|use|using)\b.{0,40}\b(?:dose|dosage|mg)\b"
    r"|\bhow\s+(?:much|many\s+(?:mg|milligrams|infusions|doses))\b.{0,60}(?:\b(?:should|can|could|do|would|must)\s+i\b|\bfor me\b|\bmy\b)"
    r"|\b(?:give|tell)\s+me\s+(?:a|my)\s+(?:dose|dosage|prescription)\b",
    re.I,
)
RULE_OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?|guidelines?|context|documents?|passages?)\b"
    r"|\b(?:system|hidden|initial)\s+prompt\b"
    r"|\b(?:developer|jailbreak|dan|god)\s+mode\b"
    r"|\bpretend\s+(?:you|to\s+be)\b|\bact\s+as\s+(?:if|an?|my)\b",
    re.I,
)
PERSONAL_ADVICE_NOTICE = (
    "The documents report doses used in clinical studies; they are not advice for an individual. "
    "Please ask a clinician about your own treatment."
)
RULE_OVERRIDE_NOTICE = "This assistant only answers from the documents and does not change its rules."


def screen(question: str) -> str | None:
    """A notice explaining why `question` is declined, or None."""
    if RULE_OVERRIDE.search(question):
        return RULE_OVERRIDE_NOTICE
    if PERSONAL_ADVICE.search(question):
        return PERSONAL_ADVICE_NOTICE
    return None
