"""The pytest plugin (`qa.pytest_plugin`): its assertion's message, its fixtures, the README example,
and that `pip install .` into a fresh virtual environment registers it for any project's tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from qa.pytest_plugin import assert_supported

pytest_plugins = ["pytester"]

TRIAL = "A 2022 trial of 96 people with severe AUD found that three ketamine infusions plus therapy led to more days abstinent."


def fake_scorer(pairs):
    return [8.0 if claim.split()[-1].rstrip(".") in evidence else -8.0 for claim, evidence in pairs]


def test_assert_supported_passes_a_faithful_answer_and_returns_its_score():
    score = assert_supported(f"{TRIAL} [1]", [TRIAL], scorer=fake_scorer)
    assert score.faithfulness == 1.0


def test_assert_supported_says_which_sentence_which_term_and_which_score():
    answer = "Three ketamine infusions led to more days abstinent. The trial enrolled 150 people with severe AUD."
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_supported(answer, [TRIAL], scorer=fake_scorer)
    message = str(failure.value)
    assert "1 of 2 answer sentences not supported" in message
    assert "'The trial enrolled 150 people with severe AUD.'" in message
    assert "missing from the passages: 150" in message
    assert_supported(answer, [TRIAL], scorer=fake_scorer, min_share=0.5)  # half is enough here


def test_assert_supported_names_the_words_the_evidence_lacks():
    answer = "Ketamine infusions plus therapy cured depression in adolescents."
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_supported(answer, [TRIAL], scorer=lambda pairs: [-8.0] * len(pairs))
    message = str(failure.value)
    assert "words the best evidence lacks: cured, depression, adolescents" in message
    assert re.search(r"support 0\.\d\d < 0\.\d\d", message) and "relevance of the best evidence sentence -8.00" in message


# The default corpus's paragraph on the cocaine trial: "...a single ketamine infusion plus
# mindfulness-based therapy led to significantly more abstinence and lower relapse risk compared to
# a control."
COCAINE_TRIAL = next(
    paragraph
    for path in sorted(CORPUS.glob("*"))
    for paragraph in path.read_text(encoding="utf-8").split("\n")
    if "significantly more abstinence" in paragraph
)


@pytest.mark.parametrize(
    "claim, named",
    [
        ("A single ketamine infusion led to more relapse compared to a control. [1]", "claim: 'more relapse', evidence: 'lower relapse risk'"),
        # who did better than whom: the passage has ketamine ahead, the claim measures against it
        ("Mindfulness-based therapy alone led to more abstinence than ketamine. [1]", "claim: 'more abstinence than ketamine', evidence: 'ketamine infusion"),
        ("Ketamine cured cocaine addiction in most patients. [1]", "cured"),
    ],
)
def test_a_sentence_that_says_the_opposite_of_its_passage_fails_naming_the_words(claim, named):
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_supported(claim, [COCAINE_TRIAL])
    assert named in str(failure.value)


def test_a_faithful_paraphrase_in_other_words_of_the_same_direction_passes():
    claim = "A single ketamine infusion plus mindfulness-based therapy led to less relapse compared to a control. [1]"
    assert assert_supported(claim, [COCAINE_TRIAL]).faithfulness == 1.0


def test_the_plugin_is_registered_with_its_marker_and_fixtures(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.faithfulness
        def test_uses_the_fixture(assert_supported, quoteqa_corpus):
            assert callable(assert_supported) and quoteqa_corpus.name == "docs"

        def test_not_selected():
            pass
        """
    )
    pytester.makeini("[pytest]\nquoteqa_corpus = docs\n")
    result = pytester.runpytest("-m", "faithfulness", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, deselected=1)


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Evaluate faithfulness in your tests") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_with_the_real_models(pytester):
    """The README's example, as written, on a copy of the project's corpus."""
    pytester.makepyfile(test_readme=readme_example())
    (pytester.path / "corpus").mkdir()
    for path in CORPUS.iterdir():
        (pytester.path / "corpus" / path.name).write_bytes(path.read_bytes())
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


@pytest.mark.slow  # builds a virtual environment and installs the project into it
def test_pip_install_registers_the_plugin_in_a_fresh_environment(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The project's dependencies (and pip, setuptools), already installed, are reused (offline and
    # fast): a .pth line puts this environment's site-packages after the fresh one's (its .pth files, such as the
    # editable install of the project, are not run: quoteqa itself comes from the fresh install).
    fresh_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True, capture_output=True, text=True).stdout.strip()
    ours = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (Path(fresh_site) / "project-dependencies.pth").write_text("\n".join(ours) + "\n")
    source = tmp_path / "src"  # a clean copy of the project's files: no .venv, no build metadata
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard"], check=True, capture_output=True, text=True)
    for name in files.stdout.splitlines():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    env = dict(os.environ, PIP_NO_INDEX="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(source)], check=True, env=env, cwd=tmp_path)
    project = tmp_path / "user-project"
    project.mkdir()
    (project / "test_my_rag.py").write_text(textwrap.dedent(
        '''
        import pytest

        PASSAGES = ["The Eiffel Tower is 330 metres tall and stands in Paris."]

        @pytest.mark.faithfulness
        def test_my_answer_is_supported():
            from qa.pytest_plugin import assert_supported

            assert_supported("The Eiffel Tower stands in Paris. [1]", PASSAGES)

        @pytest.mark.faithfulness
        def test_an_invented_height_fails(assert_supported):  # the fixture: only with the plugin
            with pytest.raises(pytest.fail.Exception, match="missing from the passages: 300"):
                assert_supported("The Eiffel Tower is 300 metres tall.", PASSAGES)
        '''
    ))  # fmt: skip
    located = subprocess.run([str(python), "-c", "import qa; print(qa.__file__)"], capture_output=True, text=True, cwd=project, env=env)
    assert str(venv) in located.stdout, located.stdout + located.stderr  # the installed copy, not the worktree
    run = subprocess.run([str(python), "-m", "pytest", "-q", "-m", "faithfulness", "--strict-markers", "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=project, env=env)
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr
