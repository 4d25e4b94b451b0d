"""What RELIABILITY.md reports: hostile input, many sessions at once, uploads while answering, and
vector search as the index grows.

- `hostile`, `load`, `upload`, `scale` (`python -m bench.reliability.<name>`).
- `chroma_server`: a Chroma server on a free loopback port, for `scale` and the tests.
"""
