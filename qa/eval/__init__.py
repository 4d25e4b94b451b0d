"""Evaluate answers against a question set: run the cases, then score them with small pure metrics.

- `cases`: load a JSONL question set and run a case through `ask()`, turn by turn.
- `metrics`: answer-level metrics (quote_exactness, must_include_recall, refusal_accuracy,
  forbidden_rate).
- `support`: the support check, the judge of faithfulness (`sentence_support`): key terms
  (numbers, units, years, names, direction words) as a hard veto, then `judge`, a logistic
  regression fitted on human support labels over word-overlap and cross-encoder signals of the
  best evidence sentences (`words`: content words and the word-overlap baseline). Not an
  entailment model: none ships in a package.
- `agreement`: balanced accuracy, precision/recall, AUROC of a judge against human labels.
- `faithfulness`: score a whole answer (an `Answer`, or text with its passages) into the metrics.
- `citations`: ALCE-style citation_recall and citation_precision with the support check as judge.
- `mutation`: perturb one number or name of a sentence, to test the support check.
- `runner`: score every case and aggregate; `report`: Markdown + PNG chart;
  `python -m qa.eval`: the command line.
Nothing here changes how questions are answered.
"""
