"""The document's own reference markers are shown as labelled references, never as bare `[n]`."""

import pytest

from qa.text.markers import REF_LABEL, shown


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("Reducing drug cravings by normalizing glutamate signaling [2]", "Reducing drug cravings by normalizing glutamate signaling (ref. 2)"),
        ("Shown twice [2, 3] and in a range [4-6].", "Shown twice (refs. 2, 3) and in a range (refs. 4\u20136)."),
        ("[5] Krupitsky EM, Burakov AM. J Psychoactive Drugs. 2007", "(ref. 5) Krupitsky EM, Burakov AM. J Psychoactive Drugs. 2007"),
        ("No marker here, 0.8 mg/kg over 40 minutes.", "No marker here, 0.8 mg/kg over 40 minutes."),
        ("Letters are not markers [a] nor [1a].", "Letters are not markers [a] nor [1a]."),
    ],
)
def test_markers_become_labelled_references(quote, expected):
    assert shown(quote) == expected


def test_labels_are_found_again_with_their_numbers():
    assert [m.group(1) for m in REF_LABEL.finditer(shown("a [2] b [3, 4] c [5-7]"))] == ["2", "3, 4", "5\u20137"]
