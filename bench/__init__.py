"""Benchmarks: slow measurements kept out of the test suite. `make bench` runs them all."""
