"""How the chat looks: Gradio's theme with the system's fonts (no web fonts are fetched) and the
small scripts the answer and document panels run in the browser.

What it does not: build the page (`app.py`) or write its HTML (`qa_ui.render`, `qa_ui.documents`).
"""

import gradio as gr

THEME = gr.themes.Soft(
    primary_hue="teal",
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)

# A click on a source's summary asks the server for its document (the <details> still toggles).
CITATIONS_JS = """
element.addEventListener('click', (event) => {
  const summary = event.target.closest('summary[data-cite]');
  if (summary) trigger('click', {cite: Number(summary.dataset.cite)});
});
"""
# Scroll the document panel so the highlighted quote is in view, without moving the page.
DOCUMENT_JS = """
watch('value', () => {
  const mark = element.querySelector('#qa-hl');
  let box = mark && mark.parentElement;
  while (box && box !== document.body && !(box.scrollHeight > box.clientHeight + 4 &&
         ['auto', 'scroll'].includes(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (mark && box && box !== document.body)
    box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
});
"""
