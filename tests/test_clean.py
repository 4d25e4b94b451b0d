"""ingest.clean: the stored form of a text — normalised, idempotent, without trailing page chrome."""

from __future__ import annotations

import pytest

from conftest import CORPUS, EVIDENCE, OVERVIEW
from ingest.clean import clean_text


def test_bullet_glyphs_become_dashes():
    raw = "\u2022 one\n  \u25aa two\n* three\n\u2013 four\n\u25cf five\n- six\n-5 degrees is not a bullet"
    assert clean_text(raw) == "- one\n- two\n- three\n- four\n- five\n- six\n-5 degrees is not a bullet"


def test_whitespace_is_collapsed_and_lines_stripped():
    raw = "  Ketamine\u00a0was   given\tIV.  \r\nNext\u2003line.\r\rLast.\n\n\n\n\nAfter a gap.\n\n"
    assert clean_text(raw) == "Ketamine was given IV.\nNext line.\n\nLast.\n\nAfter a gap."


def test_control_and_zero_width_characters_are_removed():
    raw = "Keta\u200bmine\x07 was\x00 given\ufeff.\x1b Done\u202e."
    assert clean_text(raw) == "Ketamine was given. Done."


def test_ligatures_are_unfolded():
    assert clean_text("e\ufb03cacy and \ufb01ndings") == "efficacy and findings"


def test_page_number_lines_are_dropped():
    assert clean_text("First page text.\n12\nPage 3 of 9\n4/10\nSecond page text.") == (
        "First page text.\nSecond page text."
    )


def test_hard_wrapped_lines_are_rejoined():
    raw = "The trial enrolled ninety\npeople with severe alcohol use\ndisorder. It was small.\nA new line starts here."
    assert clean_text(raw) == (
        "The trial enrolled ninety people with severe alcohol use disorder. It was small.\nA new line starts here."
    )


def test_a_line_after_a_full_stop_or_colon_is_not_joined():
    raw = "Common symptoms include:\ncravings\nIt ended.\nnew line in lower case"
    assert clean_text(raw) == raw


def test_the_real_document_loses_its_comment_widget():
    raw = (CORPUS / OVERVIEW).read_text(encoding="utf-8")
    assert raw.rstrip().endswith("Notify of\n\nInline Feedbacks\nView all comments")
    cleaned = clean_text(raw)
    assert cleaned.endswith("J Psychoactive Drugs. 2007;39(1):13-9. doi: 10.1080/02791072.2007.10399860.")
    for word in ("Notify of", "Inline Feedbacks", "View all comments"):
        assert word not in cleaned
    assert cleaned.startswith("Substance Abuse\n\nSubstance use disorders involve continued use")
    assert "\n- Strong cravings and preoccupation with substance use\n" in cleaned
    assert "\u2022" not in cleaned


def test_the_second_real_document_is_unchanged_but_for_its_final_newline():
    raw = (CORPUS / EVIDENCE).read_text(encoding="utf-8")
    assert clean_text(raw) == raw.strip()


def test_the_chrome_rule_is_generic():
    body = "Ketamine reduced cravings in a small trial."
    assert clean_text(body + "\n\nShare this\nLike\nFollow us\n") == body
    assert clean_text(body + "\nSubscribe") == body
    assert clean_text(body + "\n\nLeave a Reply\n\n0 Comments\n") == body


def test_a_document_ending_in_a_real_sentence_keeps_it():
    text = "Ketamine reduced cravings.\nMore research is needed to share the results"
    assert clean_text(text) == text  # a long line is prose, even with a widget word in it


def test_a_lone_final_heading_is_kept():
    text = "Ketamine reduced cravings in a small trial.\n\nConclusion"
    assert clean_text(text) == text


def test_a_final_short_bullet_list_is_kept():
    text = "Risks include:\n- Nausea\n- Dizziness\n- Dissociation"
    assert clean_text(text) == text
    # ... and survives the widget run that follows it
    assert clean_text(text + "\n\nShare this\nTweet") == text


def test_a_document_made_only_of_short_lines_is_kept():
    assert clean_text("Comments\nShare") == "Comments\nShare"


@pytest.mark.parametrize(
    "raw",
    [
        (CORPUS / OVERVIEW).read_text(encoding="utf-8"),
        (CORPUS / EVIDENCE).read_text(encoding="utf-8"),
        "\u2022 a\n\n\n  b  c\nd\ne-\nf\nText.\nShare this\nLike",
        "Title\n\n12\nthe end of a wrapped\nline\n\u00a0\n",
    ],
)
def test_cleaning_is_idempotent(raw):
    once = clean_text(raw)
    assert clean_text(once) == once
