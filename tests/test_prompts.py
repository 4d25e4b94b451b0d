"""qa.prompts: the prompt files are read at run time and filled without touching other braces."""

from __future__ import annotations

import os

import pytest

from qa.prompts import PROMPT_NAMES, PROMPTS_DIR, PromptMissing, fill, load_prompt, numbered_passages


def test_the_shipped_prompts_exist_and_have_their_placeholders():
    assert {name: (PROMPTS_DIR / f"{name}.md").is_file() for name in PROMPT_NAMES} == dict.fromkeys(PROMPT_NAMES, True)
    answer = load_prompt("answer")
    assert all(f"{{{key}}}" in answer for key in ("passages", "question", "refusal"))
    assert all(f"{{{key}}}" in load_prompt("condense") for key in ("history", "question"))


def test_an_edited_prompt_is_read_again_without_a_restart(tmp_path):
    path = tmp_path / "system.md"
    path.write_text("first", encoding="utf-8")
    assert load_prompt("system", tmp_path) == "first"
    path.write_text("second version", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_prompt("system", tmp_path) == "second version"


def test_a_missing_prompt_is_a_clear_error(tmp_path):
    with pytest.raises(PromptMissing, match="answer.md"):
        load_prompt("answer", tmp_path)


def test_fill_replaces_only_the_named_placeholders():
    assert fill("{question} {other} {{x}}", question="Why?") == "Why? {other} {{x}}"


def test_passages_are_numbered_from_one_on_single_lines():
    assert numbered_passages(["a\nb", "c"]) == "[1] a b\n\n[2] c"
