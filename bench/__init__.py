"""Benchmarks of the crawler and the archive on a synthetic portal (`python -m bench`)."""
