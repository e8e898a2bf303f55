"""Extraction quality and speed: `.venv/bin/python -m bench.extraction`."""
