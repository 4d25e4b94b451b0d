"""The PubMedQA-L retrieval benchmark: `python -m bench.pubmedqa` (`run`).

- `corpus`: the abstracts as files, ingested once; `methods`: the ranking methods compared;
  `ranking_metrics`: recall@k and MRR; `ask`: the whole chain on a sample; `report`: the section.
"""
