"""Building blocks of the deterministic sample-trace corpus (see scripts/make_sample_traces.py)."""
