"""Typed settings for answering, read from `QUOTEQA_*` environment variables.

What it does: extends the ingest settings (index location, chunking) with the knobs of retrieval,
reranking, the answerability decision and the extractive answer. Every field has a default and a
description; `Settings(field=value)` overrides one for a call.
What it does not: read anything else from the environment; no module reads `os.environ` for these.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from ingest.settings import IngestSettings
from qa.prompts import PROMPTS_DIR


class Settings(IngestSettings):
    """Everything `ask()` can be tuned with."""

    dense_k: int = Field(20, ge=1, le=500, description="Chunks taken from the vector search.")
    keyword_k: int = Field(20, ge=1, le=500, description="Chunks taken from BM25.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal-rank-fusion constant: score = sum 1/(rrf_k + rank).")
    rerank_depth: int = Field(10, ge=1, le=100, description="Fused chunks rescored by the cross-encoder.")
    rerank_whole_chunks: int = Field(
        3,
        ge=0,
        le=100,
        description="Fused chunks ranked by the cross-encoder's score of their whole text; the others (all, "
        "with 0) are ranked by their best sentence. On PubMedQA, 3 puts the own abstract first for 0.978 of "
        "the questions, best-sentence ranking for 0.960 (bench/pubmedqa/run.py).",
    )
    rerank_full_depth: int = Field(
        2,
        ge=1,
        le=100,
        description="Best-ranked chunks whose every sentence is scored; in the chunks below them (down to "
        "rerank_depth), only sentences sharing a telling word with the question are.",
    )
    conversation_weight: float = Field(
        2.0,
        ge=0.0,
        le=5.0,
        description="Weight of the latest exchange (question and answer) beside the new question (weight 1) when "
        "searching during a conversation; 0 searches with the condensed question alone.",
    )
    conversation_decay: float = Field(
        1.0, ge=0.0, le=1.0, description="Each older exchange weighs this much of the next newer one's weight."
    )
    conversation_exchanges: int = Field(3, ge=0, le=20, description="Most recent exchanges that weigh in a search.")
    follow_up_model: bool = Field(
        True,
        description="Weigh the conversation by how much the question leans on it (qa/models/follow_up.json); "
        "off, every question leans fully.",
    )
    rerank_context_lean: float = Field(
        0.8, ge=0.0, le=1.0,
        description="Score sentences with the latest exchange only when the question leans on the conversation "
        "at least this much (qa.conversation.follow_up's probability).",
    )
    rerank_context_chars: int = Field(
        100, ge=20, le=2000, description="Most characters of the earlier exchanges added to the question a sentence is scored against."
    )
    rerank_context_exchanges: int = Field(
        1, ge=0, le=10,
        description="Score sentences against the question followed by this many latest exchanges (0: the condensed question).",
    )
    own_words_rescore: int = Field(
        8, ge=0, le=50,
        description="A follow-up scored with its conversation chooses its quotes among its best this many sentences "
        "by a weighted mean of that score and the score against the question as asked (0: by the first score alone).",
    )
    own_words_weight: float = Field(
        0.6, ge=0.0, le=1.0,
        description="The weight of the score against the question as asked in that mean (the rest is the score with "
        "the conversation).",
    )
    discussed_weight: float = Field(
        1.0, ge=0.0, le=10.0,
        description="A follow-up scored with its conversation chooses its quotes by their score plus this times the "
        "log-ratio of their document's probability of being the one the conversation is about to the likeliest's "
        "(qa/models/discussed.json); 0 ignores it.",
    )
    discussed_chunks: int = Field(
        2, ge=0, le=10,
        description="During a conversation, when one document is likelier than all others together to be the one "
        "discussed, its this many best chunks for the question's own words join the passages reranked.",
    )
    own_chunks: int = Field(
        2, ge=0, le=10,
        description="During a conversation, the question's own this many best chunks (searched without the "
        "conversation) are added to the passages reranked, so a question on a new subject still finds its "
        "passage. Chosen on the fit split of coqa, follow and shift (bench/NOTEBOOK.md): 0 to 3 leave coqa's "
        "false refusals at 0.130-0.133; 2 takes shift's from 0.123 to 0.107 and follow's from 0.125 to 0.115.",
    )
    alone_retry: bool = Field(
        True,
        description="A follow-up refused after its search leaned on the conversation, when it stands alone (no word "
        "pointing back, two words of its own), is asked once more as a first question (no conversation, the first "
        "question's decision); its answer then stands. Fit split: coqa false refusals 0.130 -> 0.120, inshift "
        "0.112 -> 0.098, shift 0.107 -> 0.105, follow unchanged (bench/NOTEBOOK.md).",
    )
    answerability_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Answer only when the fitted answerability model (qa/models/answerability.json) gives the passages "
        "at least this probability of answering; unset takes the threshold chosen with the model by "
        "bench/fit/answerability.py on external dev data; 0 never refuses for this reason.",
    )
    normalise_wording: bool = Field(
        True,
        description="Search and decide on the question with a one-edit typo respelt, the capitals of an all "
        "lower-case question restored and one closing question mark (qa/text/wording.py); the answer shows it as typed.",
    )
    focus_term_margin: float = Field(
        1.0,
        description="Refuse when dropping a question word absent from the corpus raises the best sentence's "
        "score by this much (the passages ignore what the question is about; qa/decision/focus.py).",
    )
    question_support_gate: bool = Field(
        True,
        description="Refuse a first question the fitted model would answer when the support head reads it, as a claim, "
        "as unbacked by the best sentence (qa/decision/question_support.py; threshold in qa/models/question_support.json).",
    )
    synonym_similarity: float = Field(
        0.62,
        ge=0.0,
        le=1.0,
        description="A question word absent from the corpus counts as covered by a sentence holding a word "
        "this close in embedding cosine (difficulty ~ challenge 0.66; cannabis ~ cocaine 0.59 is not).",
    )
    related_passages: int = Field(
        3, ge=0, le=10, description="Closest sentences listed apart (not as citations) under a refusal."
    )
    min_related_score: float = Field(
        -4.0, description="A sentence scoring below this (cross-encoder logit) is not listed as related under a refusal."
    )
    answer_passages: int = Field(3, ge=1, le=10, description="Top reranked passages whose sentences may be quoted.")
    max_quotes: int = Field(
        3, ge=1, le=10, description="Most sentences chosen by score; a chosen list lead-in also brings its items."
    )
    quote_margin: float = Field(
        1.5, ge=0.0, description="A sentence is quoted only if its score is within this of the best sentence's."
    )
    min_quote_score: float = Field(
        -3.0, description="In a first question's answer (no exchange before it), a sentence scoring below this "
        "(logit) is not quoted, and none left means a refusal; after an exchange the answerability decision "
        "alone judges the best sentence (an elliptic follow-up scores low however fair)."
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are rejected with a clear error.")
    rerank_max_tokens: int = Field(320, ge=64, le=512, description="Token limit of a (question, passage) pair.")
    threads: int = Field(
        1,
        ge=1,
        le=64,
        description="PyTorch's threads while answering, once PyTorch is loaded (a local LLM, ingest's embedder): "
        "answering itself runs on onnxruntime. PyTorch's spinning threads fought onnxruntime's over the cores "
        "when the embedder ran on it (measured on 2 cores: p50 1,755 ms with both libraries' defaults, 554 ms "
        "with one thread each).",
    )
    rerank_threads: int = Field(
        2,
        ge=1,
        le=64,
        description="Workers of the cross-encoder: the pairs of one call run side by side, one core each "
        "(measured on 2 cores: 13 sentences in 91 ms with two threads inside each run, 59 ms on two workers).",
    )
    llm_max_tokens: int = Field(256, ge=16, le=4096, description="Most tokens an LLM back end may generate per answer.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for an LLM server before answering extractively.")
    prompts_dir: Path = Field(PROMPTS_DIR, description="Folder of the prompt files (system.md, answer.md, condense.md).")
    condense_with_llm: bool = Field(
        False,
        description="With an LLM back end, let it rewrite follow-ups (the heuristic is the fallback); off by default: "
        "see BENCHMARKS.md for the measured comparison on the golden follow-ups.",
    )
    llm: str = Field("none", description="Answer back end: none (extractive), hf-gguf:PATH, ollama:MODEL[@URL], openai:MODEL@URL.")
