"""Below every stage: the words and sentences the pipeline reads.

- `bm25`: tokenizing (the shared word model) and the keyword index's scoring.
- `abbreviations`: acronyms and journal abbreviations spelled out for the cross-encoder.
- `markers`: how the documents' reference markers read in an answer.
- `wording`: the question made canonical (one typo respelt, case and closing mark).
- `sentences`: the candidate sentence (a quotable span of a passage), what the cross-encoder reads
  of it, and how chosen quotes become numbered citations.
Nothing here loads a model or knows about the chain.
"""
