"""bench.ablate: each rule's switch really changes what the chain calls, and puts it back."""

from __future__ import annotations

import pytest

import qa.decision.decide
import qa.search.scoring
import qa.text.sentences
from bench.ablate import RULES
from qa.search.index import LoadedIndex

WHAT_EACH_RULE_CHANGES = {
    "focus terms": (qa.decision.decide, "focus_gain_signal"),
    "journal abbreviations": (qa.search.scoring, "expand_journal_names"),
    "acronym expansion": (qa.search.scoring, "expand_acronyms"),
    "leaning sentences": (qa.text.sentences, "leans_on_previous"),
    "list lead-ins": (LoadedIndex, "lead_in"),
}


def test_every_rule_has_a_switch():
    assert set(RULES) == set(WHAT_EACH_RULE_CHANGES)


@pytest.mark.parametrize("rule", sorted(WHAT_EACH_RULE_CHANGES))
def test_switch_replaces_the_rule_and_restores_it(rule):
    target, name = WHAT_EACH_RULE_CHANGES[rule]
    original = getattr(target, name)
    with RULES[rule]():
        assert getattr(target, name) is not original
    assert getattr(target, name) is original


def test_switched_off_rules_do_nothing():
    with RULES["acronym expansion"]():
        assert qa.search.scoring.expand_acronyms("AUD", {"AUD": "Alcohol Use Disorder"}) == "AUD"
