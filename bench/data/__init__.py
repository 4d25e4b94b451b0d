"""The data the benchmarks and fitting read: the dev sets and the sets derived from them.

- `dev_case`, `devsets`: one dev-set question, the sets with their fit/kept splits and cached indexes.
- `follow_set`: the `follow` set (squad2 questions asked as follow-ups).
- `single_doc`: indexes of one document each (the suite's single-document mode).
- `support_data`: the human support labels; `opposites`: one-edit opposites and rewordings of a claim.
- `answer_pairs`, `support_head_pairs`: training pairs for the answer and support heads.
Nothing here fits or measures.
"""
