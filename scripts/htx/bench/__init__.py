"""Benchmarks and the synthetic province (`htx bench`, `python -m htx.bench.run.<name>`)."""
