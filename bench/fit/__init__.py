"""Fitting and training the shipped models, each from the external dev sets; each command writes its
weights under `qa/models/` (or `qa/eval/`) and how it was fit to MODELS.md.

- `answerability` (`python -m bench.fit.answerability`), with `thresholds` and `signals_cache`.
- `follow_up`, `discussed`: the conversation models.
- `answer_head`, `support_head`: the cross-encoder heads, fine-tuned on CPU.
- `support_judge`: the support check's judge, with `support_fit`.
- `logistic`: the logistic regression they share.
Nothing here runs in `make test` beyond small logic tests.
"""
