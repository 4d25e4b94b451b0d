"""Evaluate answers against a question set: run the cases, then score them with small pure metrics.

- `cases`: load a JSONL question set and run a case through `ask()`, turn by turn.
- `metrics`: answer-level metrics (quote_exactness, must_include_recall, refusal_accuracy,
  forbidden_rate).
- `support`: the support check, the judge of faithfulness (`sentence_support`): key terms
  (numbers, units, years, names, direction words) plus a calibrated cross-encoder score. Not an
  entailment model: none ships in a package.
- `citations`: ALCE-style citation_recall and citation_precision with the support check as judge.
- `mutation`: perturb one number or name of a sentence, to test the support check.
- `runner`: score every case and aggregate; `report`: Markdown + PNG chart;
  `python -m qa.eval`: the command line.
Nothing here changes how questions are answered.
"""
