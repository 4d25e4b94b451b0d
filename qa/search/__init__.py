"""Stage 2, search: the passages and sentences that may answer.

- `index`: the Chroma store and its BM25 index as the answering side sees them (a snapshot).
- `retrieve`: dense, keyword and fused retrieval as LangChain retrievers.
- `rerank`: the cross-encoder (ONNX) that reads a question against a passage or sentence.
- `scoring`: passages and their candidate sentences scored with it.
Nothing here decides whether to answer.
"""
