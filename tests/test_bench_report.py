"""bench.report: each benchmark's section of BENCHMARKS.md, and the file's top (HEADER, the index)."""

from __future__ import annotations

import re
import subprocess

from bench.report import BENCHMARKS, HEADER, machine_line, write_section


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_benchmarks_md_starts_with_the_header_a_fresh_file_gets():
    assert BENCHMARKS.read_text(encoding="utf-8").startswith(HEADER)


def test_every_index_line_links_to_a_heading_of_the_file():
    text = BENCHMARKS.read_text(encoding="utf-8")
    anchors = {github_anchor(line[3:]) for line in text.splitlines() if line.startswith("## ")}
    links = re.findall(r"^- \[[^]]+\]\(#([^)]+)\): `python -m bench\.\w+", HEADER, re.M)
    assert len(links) == HEADER.count("\n- ")
    assert [link for link in links if link not in anchors] == []


def test_a_section_is_replaced_in_place_and_a_new_one_appended(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    write_section("one", "## One\n\nfigures of run 1", path=path)
    write_section("two", "## Two\n\nfigures of run 2", path=path)
    write_section("one", "## One\n\nfigures of run 3", path=path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert "run 1" not in text and text.index("run 3") < text.index("run 2")
    assert text.endswith("<!-- bench:two -->\n## Two\n\nfigures of run 2\n<!-- /bench:two -->\n")


def test_a_run_names_the_commit_it_measured():
    head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=BENCHMARKS.parent, capture_output=True, text=True)
    if head.returncode != 0:  # not a git checkout: the line has no commit to name
        assert "commit" not in machine_line()
        return
    assert f", commit {head.stdout.strip()}" in machine_line()
