"""Evaluate answers against a question set: run the cases, then score them with small pure metrics.

`cases.load_cases` / `cases.run_case` run a JSONL question set through `ask()`; `metrics` holds the
scores. Nothing here changes how questions are answered.
"""
