"""The mutation test: the support check flags perturbed answer sentences and spares faithful ones.

Pure tests of the perturbations (`qa.eval.mutation`) first; then the system's answers on the
golden set (the run shared with test_eval_gate, real models) are taken sentence by sentence with
the passages they cite, one number or name is changed per copy in every way the module knows,
and the support check must flag >= 95% of the copies and <= 5% of the unperturbed sentences.
"""

from __future__ import annotations

from functools import partial

import pytest
from qa_fixtures import corpus_index  # noqa: F401 - a fixture
from test_eval_gate import golden  # noqa: F401 - a fixture (the shared golden run)

from conftest import CORPUS
from qa.eval.citations import answer_sentences, cited_passages
from qa.eval.mutation import EXTRA_KINDS, NUMBER_AND_NAME_KINDS, corpus_vocabulary, perturbations
from qa.eval.mutation import mutation_test as run_mutation_test
from qa.eval.support import sentence_support

GRABSKI = (
    "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people with severe AUD "
    "found that three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy led to more days abstinent "
    "and fewer relapses at 6 months than control conditions."
)


@pytest.fixture(scope="module")
def vocabulary():
    return corpus_vocabulary([path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))])


def test_the_vocabulary_holds_the_corpus_authors_journals_and_years(vocabulary):
    assert {"Grabski", "Dakwar", "Shen", "Krupitsky", "DeWilde", "Freeman"} <= set(vocabulary.authors)
    assert {"Am J Psychiatry", "Front Psychiatry", "J Psychoactive Drugs", "Ann N Y Acad Sci"} <= set(vocabulary.journals)
    assert {"2007", "2013", "2019", "2022", "2023", "2025"} <= set(vocabulary.years)
    assert "Phase" not in vocabulary.authors and "Key" not in vocabulary.authors


def test_each_perturbation_changes_exactly_one_number_or_name(vocabulary):
    mutations = perturbations(GRABSKI, vocabulary)
    assert {m.kind for m in mutations} == {"digit", "year", "dose", "unit", "spelled", "author", "journal", "acronym"}
    assert len({m.text for m in mutations}) == len(mutations) and GRABSKI not in {m.text for m in mutations}
    for mutation in mutations:  # one occurrence of `before` replaced, the rest unchanged
        assert mutation.before != mutation.after
        starts = [i for i in range(len(GRABSKI)) if GRABSKI.startswith(mutation.before, i)]
        rebuilt = {GRABSKI[:i] + mutation.after + GRABSKI[i + len(mutation.before) :] for i in starts}
        assert mutation.text in rebuilt, mutation
    texts = {m.kind: [x.text for x in mutations if x.kind == m.kind] for m in mutations}
    assert GRABSKI.replace("0.8 mg/kg", "0.5 mg/kg") in texts["dose"]
    assert GRABSKI.replace("Grabski", "Dakwar") in texts["author"]
    assert GRABSKI.replace("Am J Psychiatry", "J Psychoactive Drugs") in texts["journal"]
    assert GRABSKI.replace("40 minutes", "40 hours") in texts["unit"]
    assert GRABSKI.replace("A 2022 Phase", "A 2023 Phase") in texts["year"]
    assert GRABSKI.replace("of 96 people", "of 97 people") in texts["digit"]
    assert GRABSKI.replace("three IV", "four IV") in texts["spelled"]


def test_citation_markers_are_never_perturbed_and_directions_only_on_request(vocabulary):
    sentence = "Small studies show ketamine reduces cravings for up to 2 weeks [5]."
    mutations = perturbations(sentence, vocabulary)
    assert mutations and all(m.text.endswith(" [5].") for m in mutations)
    assert all(m.kind in NUMBER_AND_NAME_KINDS for m in mutations)
    flipped = perturbations("Craving scores were substantially lower in the ketamine group.", vocabulary, EXTRA_KINDS)
    assert [m.text for m in flipped] == ["Craving scores were substantially higher in the ketamine group."]


@pytest.mark.slow  # the real models on the whole golden set (the run shared with test_eval_gate)
def test_the_support_check_flags_perturbed_sentences_and_spares_faithful_ones(golden, vocabulary):  # noqa: F811
    statements = []
    for result in golden.results:
        if result.refused:
            continue
        passages = cited_passages(result.answer, golden.lookup)
        for statement in answer_sentences(result.answer):
            statements.append((statement.text, [p for n in statement.cited for p in passages.get(n, [])]))
    stored = corpus_vocabulary([golden.lookup(source) for source in golden.sources])
    check = partial(sentence_support, scorer=golden.scorer)
    report = run_mutation_test(statements, stored, check)
    directions = run_mutation_test(statements, stored, check, kinds=EXTRA_KINDS)
    print(f"\nmutation test: {report.summary()}\n(direction words, not gated: {directions.summary()})")
    assert report.unperturbed >= 20 and report.perturbed >= 200
    assert {"digit", "year", "author", "journal", "unit"} <= set(report.by_kind)
    missed = "\n".join(f"{m.kind}: {m.before!r} -> {m.after!r}: {m.text}" for m, _ in report.missed[:20])
    assert report.perturbed_flag_rate >= 0.95, missed
    assert report.unperturbed_flag_rate <= 0.05, report.unperturbed_flagged
