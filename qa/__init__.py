"""Answer questions from the indexed documents, quoting them verbatim with numbered citations.

`ask(question, history=None, **settings) -> Answer` is the entry point; `chain` is the same as a
LangChain Runnable; `REFUSAL` is the sentence used when the documents do not answer.
Nothing here knows about Gradio.
"""

from qa.answer import REFUSAL, Answer, Citation
from qa.settings import Settings


def __getattr__(name: str):
    # The chain imports the model loaders; keep `import qa` light until they are needed.
    if name in ("ask", "chain", "QAChain"):
        from qa import answering

        return getattr(answering, name)
    raise AttributeError(name)


__all__ = ["REFUSAL", "Answer", "Citation", "Settings", "ask", "chain"]
