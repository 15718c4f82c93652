"""Benchmarks and the scale-data generator. Figures are printed and go in issue notes; they are
never asserted in tests. Run with `make bench` or `python -m bench.run --help`."""
