"""Benchmarks: `manage.py bench_import` (roster import), `bench_dashboard` (SASAC dashboard and indicators summary),
`bench_export` (every branch's ledger), and the load script load_meetings.py (run as a plain script). A top-level
app so that no domain app depends on its commands."""
