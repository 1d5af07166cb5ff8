"""The 8 hard indicators (8项硬指标): the indicator set as data (models), the rules (rules), the computation from
pre-fetched facts (computation), the reads that load facts and run it (selectors), the one write (services) and the
read-only API (api, serializers)."""
