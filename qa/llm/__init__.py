"""The generative back ends: which LLM to use (`spec`), how to reach it (`backends`, `hf_gguf`).

Nothing here is imported unless `Settings.llm` names a back end; the default answerer is extractive.
"""
