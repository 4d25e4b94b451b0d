"""bench.report: each benchmark's section of BENCHMARKS.md, MODELS.md or RELIABILITY.md, and the first two files' tops (their indexes)."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from bench.report import BENCHMARKS, HEADER, MODELS, MODELS_HEADER, RELIABILITY, machine_line, write_section

ROOT = BENCHMARKS.parent
FITTING = "fit."  # the scripts that fit a shipped model: bench/fit/


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path) -> set[str]:
    return {github_anchor(line.lstrip("#")) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


def runnable(name: str) -> bool:
    """`python -m bench.NAME` has a module to run: bench/NAME.py, or a package with a __main__."""
    path = ROOT / "bench" / Path(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__main__.py").exists()


def written_sections() -> list[tuple[str, str, str]]:
    """(script, section, the path argument's name) of each write_section call in bench/ that names its
    section; the script as its module under bench ("suite", "fit.answerability")."""
    calls = []
    for path in sorted((ROOT / "bench").rglob("*.py")):
        script = ".".join(path.relative_to(ROOT / "bench").with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "write_section" and isinstance(node.args[0], ast.Constant):
                where = next((ast.unparse(k.value) for k in node.keywords if k.arg == "path"), "BENCHMARKS")
                calls.append((script, node.args[0].value, where))
    return calls


def test_each_file_starts_with_the_header_a_fresh_file_gets():
    assert BENCHMARKS.read_text(encoding="utf-8").startswith(HEADER)
    assert MODELS.read_text(encoding="utf-8").startswith(MODELS_HEADER)


def test_every_index_line_links_to_a_heading_and_names_commands_that_exist():
    for path, header in ((BENCHMARKS, HEADER), (MODELS, MODELS_HEADER)):
        lines = [line for line in header.splitlines() if line.startswith("- ")]
        assert lines
        for line in lines:
            link = re.match(r"- \[[^]]+\]\(([^)#]*)(?:#([^)]+))?\): `python -m bench\.[\w.]+", line)
            assert link, line
            target = ROOT / link[1] if link[1] else path
            assert target.exists(), line
            assert link[2] is None or link[2] in anchors(target), line
            assert [name for name in re.findall(r"`python -m bench\.([\w.]+)", line) if not runnable(name)] == []


def test_the_fitting_scripts_write_their_sections_into_models_md():
    fitting = [(script, name, path) for script, name, path in written_sections() if script.startswith(FITTING)]
    assert len(fitting) >= 6
    assert [call for call in fitting if call[2] != "MODELS"] == []


def test_each_section_stands_in_the_file_its_script_writes_and_only_there():
    files = {"BENCHMARKS": BENCHMARKS, "MODELS": MODELS, "RELIABILITY": RELIABILITY}
    texts = {key: path.read_text(encoding="utf-8") for key, path in files.items()}
    calls = written_sections()
    assert {path for _, _, path in calls} == set(files)
    for script, name, path in calls:
        holding = [key for key, text in texts.items() if f"<!-- bench:{name} -->" in text]
        assert holding == [path], (script, name)


def test_a_section_is_replaced_in_place_and_a_new_one_appended(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    write_section("one", "## One\n\nfigures of run 1", path=path)
    write_section("two", "## Two\n\nfigures of run 2", path=path)
    write_section("one", "## One\n\nfigures of run 3", path=path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert "run 1" not in text and text.index("run 3") < text.index("run 2")
    assert text.endswith("<!-- bench:two -->\n## Two\n\nfigures of run 2\n<!-- /bench:two -->\n")


def test_a_fresh_models_md_starts_with_its_own_header(tmp_path, monkeypatch):
    import bench.report

    fresh = tmp_path / "MODELS.md"
    monkeypatch.setitem(bench.report.HEADERS, fresh, MODELS_HEADER)
    write_section("one", "## One\n\nfigures", path=fresh)
    assert fresh.read_text(encoding="utf-8").startswith(MODELS_HEADER)
    assert bench.report.HEADERS[MODELS] == MODELS_HEADER


def test_a_run_names_the_commit_it_measured():
    head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=BENCHMARKS.parent, capture_output=True, text=True)
    if head.returncode != 0:  # not a git checkout: the line has no commit to name
        assert "commit" not in machine_line()
        return
    assert f", commit {head.stdout.strip()}" in machine_line()


def test_the_benchmarks_own_outputs_are_not_uncommitted_code():
    from bench.report import is_output

    assert is_output("BENCHMARKS.md") and is_output("MODELS.md") and is_output("bench/results/latency.png")
    assert not is_output("qa/answering.py") and not is_output("bench/latency.py") and not is_output("README.md")
