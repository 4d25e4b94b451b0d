"""Helpers of the Gradio chat (`app.py`): HTML rendering, and running the app in a child process."""
