"""Make every library this project loads stay off the network.

What it does: sets, before the libraries are imported, the switches that stop Hugging Face hub
look-ups, Chroma telemetry and Gradio analytics. `ensure_offline()` is idempotent and cheap; the
loaders call it first. A user may still opt back in by setting a variable to another value first.
What it does not: block sockets (tests do that to prove nothing leaks).
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def ensure_offline() -> None:
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


def package_folder(package: str) -> str:
    """The folder of an installed package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalled(f"the package '{package}' is not installed; run `make install` (or pip install {package})")
    return list(spec.submodule_search_locations)[0]


class ModelNotInstalled(RuntimeError):
    """A model's package is missing; the message names the fix."""
