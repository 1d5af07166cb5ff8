"""The demo data (`manage.py seed_demo`, `make demo`): a realistic, deterministic district or province, built by
demo/seed.py from the generators beside it. A top-level app so that no domain app depends on it: demo imports
branches, meetings and assessments; none of them imports demo."""
