"""ingest.sentences: the splitter on the corpus's tricky cases, and offsets that always hold."""

from __future__ import annotations

import pytest

from conftest import CORPUS, EVIDENCE, OVERVIEW
from ingest.load import load_document
from ingest.sentences import Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [s.text_in(text) for s in split_sentences(text)]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text_in(text)) for s in split_sentences(text)]


def test_two_plain_sentences():
    assert texts("Ketamine is an anaesthetic. It is also studied for addiction.") == [
        "Ketamine is an anaesthetic.",
        "It is also studied for addiction.",
    ]


def test_question_and_exclamation_marks_end_sentences():
    assert texts("Does ketamine help? Small trials say yes! More work is needed.") == [
        "Does ketamine help?",
        "Small trials say yes!",
        "More work is needed.",
    ]


def test_et_al_before_a_lower_case_word_is_one_sentence():
    text = "Grabski et al. found that ketamine reduced relapse. The trial was small."
    assert texts(text) == ["Grabski et al. found that ketamine reduced relapse.", "The trial was small."]


def test_et_al_ending_a_sentence_ends_it():
    assert texts("This was shown by Grabski et al. The trial was small.") == [
        "This was shown by Grabski et al.",
        "The trial was small.",
    ]


def test_journal_citation_inside_parentheses():
    text = (
        "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people "
        "found fewer relapses. Another study followed."
    )
    assert texts(text) == [
        "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people found fewer relapses.",
        "Another study followed.",
    ]


def test_journal_citation_outside_parentheses():
    text = "It was published in Am J Psychiatry. 2022;179(2):152-162. The trial was randomised."
    assert texts(text) == [
        "It was published in Am J Psychiatry. 2022;179(2):152-162.",
        "The trial was randomised.",
    ]


def test_doi_does_not_split():
    text = "See doi:10.1111/nyas.12747 for the review. It covers depression."
    assert texts(text) == ["See doi:10.1111/nyas.12747 for the review.", "It covers depression."]


def test_decimal_dose_does_not_split():
    text = "Patients received 0.8 mg/kg over 40 minutes. Therapy followed."
    assert texts(text) == ["Patients received 0.8 mg/kg over 40 minutes.", "Therapy followed."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Units end sentences: PubMed abstracts are full of "7.5 mg. Furthermore" and "30 min. From".
        ("The dose was 7.5 mg. Furthermore, it was safe.", ["The dose was 7.5 mg.", "Furthermore, it was safe."]),
        ("Ischemia lasted 30 min. Kidney markers rose.", ["Ischemia lasted 30 min.", "Kidney markers rose."]),
        ("Levels were 4.0 ng/mL. Receivers agreed.", ["Levels were 4.0 ng/mL.", "Receivers agreed."]),
    ],
)
def test_units_at_the_end_of_a_sentence(text, expected):
    assert texts(text) == expected


def test_e_g_does_not_split():
    text = "Some medications (e.g., naltrexone) help. Others, e.g. Disulfiram, are older. Done."
    assert texts(text) == [
        "Some medications (e.g., naltrexone) help.",
        "Others, e.g. Disulfiram, are older.",
        "Done.",
    ]


def test_vs_and_initials_do_not_split():
    assert texts("Golytely vs. MiraLAX was compared by J. Smith in 2020. It was small.") == [
        "Golytely vs. MiraLAX was compared by J. Smith in 2020.",
        "It was small.",
    ]


def test_bullets_become_their_own_sentences_without_the_marker():
    text = "Common symptoms include:\n- Strong cravings\n- Tolerance. Needing more\n1. Numbered item"
    assert kinds(text) == [
        ("text", "Common symptoms include:"),
        ("bullet", "Strong cravings"),
        ("bullet", "Tolerance."),
        ("bullet", "Needing more"),
        ("bullet", "Numbered item"),
    ]


def test_headings_without_a_full_stop():
    text = "Alcohol Use Disorder (AUD)\nA trial found fewer relapses.\nEfficacy: Days of Abstinence\nKey findings by condition:"
    assert kinds(text) == [
        ("heading", "Alcohol Use Disorder (AUD)"),
        ("text", "A trial found fewer relapses."),
        ("heading", "Efficacy: Days of Abstinence"),
        ("text", "Key findings by condition:"),
    ]


def test_a_reference_line_is_kept_whole():
    line = (
        "[2] DeWilde KE, Levitch CF, Murrough JW, Mathew SJ, Iosifescu DV. The Promise of Ketamine for "
        "Treatment-Resistant Depression: Current Evidence and Future Directions. Ann N Y Acad Sci. "
        "2015;1345:47-58. doi:10.1111/nyas.12747"
    )
    assert kinds("Text before.\n\n" + line) == [("text", "Text before."), ("reference", line)]


def test_every_line_break_ends_a_sentence_and_blank_lines_give_nothing():
    assert texts("First line without stop\n\n\nSecond line.") == ["First line without stop", "Second line."]
    assert split_sentences("") == []
    assert split_sentences("\n \n") == []


def test_offsets_point_into_the_original_text():
    text = "  Leading spaces. Then more!  \n- bullet here\n"
    spans = split_sentences(text)
    assert spans == [
        Sentence(2, 17, "text"),
        Sentence(18, 28, "text"),
        Sentence(33, 44, "bullet"),
    ]
    assert [s.text_in(text) for s in spans] == ["Leading spaces.", "Then more!", "bullet here"]


@pytest.mark.parametrize("name", [OVERVIEW, EVIDENCE])
def test_offsets_hold_for_every_sentence_of_the_corpus(name):
    document = load_document(CORPUS / name, CORPUS)
    spans = split_sentences(document.text)
    assert len(spans) > 10
    for span in spans:
        piece = document.text[span.start : span.end]
        assert piece == span.text_in(document.text)
        assert piece and piece == piece.strip()
    # in order, not overlapping
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_the_second_corpus_document_splits_exactly():
    document = load_document(CORPUS / EVIDENCE, CORPUS)
    got = kinds(document.text)
    assert len(got) == 18
    assert got[:4] == [
        ("text", "Evidence for using ketamine to treat substance use disorders is still evolving but promising."),
        ("text", "Key findings by condition:"),
        ("heading", "Alcohol Use Disorder (AUD)"),
        (
            "text",
            "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people with severe "
            "AUD found that three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy led to more days "
            "abstinent and fewer relapses at 6 months than control conditions.",
        ),
    ]
    assert ("heading", "Opioid Use Disorder (OUD)") in got
    assert (
        "text",
        "Ketamine may also help manage withdrawal and support transition to non-opioid medications (e.g., naltrexone) "
        "in some protocols.",
    ) in got


def test_the_first_corpus_document_kinds():
    document = load_document(CORPUS / OVERVIEW, CORPUS)
    got = kinds(document.text)
    assert [kind for kind, _ in got] == (
        ["heading", "text", "text"] + ["bullet"] * 5 + ["text"] + ["bullet"] * 3 + ["text"] * 4 + ["reference"] * 5
    )
    assert got[3] == ("bullet", "Strong cravings and preoccupation with substance use")
    assert got[12] == (
        "text",
        "Small studies show ketamine reduces cravings and consumption in opioid, cocaine and alcohol dependence "
        "for up to 2 weeks [5].",
    )
    assert got[-1][1].startswith("[5] Krupitsky EM") and got[-1][1].endswith("10.1080/02791072.2007.10399860.")


def test_bracket_depth_read_once_per_line_matches_a_count_from_the_line_start():
    import random

    from ingest.sentences import ParenDepth

    def counted(segment: str) -> int:  # the depth read afresh from the start, as each position would be
        depth = 0
        for char in segment:
            depth = depth + 1 if char in "([" else depth - 1 if char in ")]" and depth > 0 else depth
        return depth

    rng = random.Random(7)
    for _ in range(200):
        line = "".join(rng.choice("ab .()[]") for _ in range(rng.randint(0, 80)))
        start = rng.randint(0, len(line))
        depth = ParenDepth(line, start)
        for index in sorted(rng.sample(range(start, len(line) + 1), min(10, len(line) + 1 - start))):
            assert depth.at(index) == counted(line[start:index])


def test_a_period_inside_brackets_ends_no_sentence():
    text = "Ketamine was tested (see Dakwar et al. 2019. Am J Psychiatry). It helped."
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "Ketamine was tested (see Dakwar et al. 2019. Am J Psychiatry).",
        "It helped.",
    ]
