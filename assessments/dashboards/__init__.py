"""Dashboards of the 8 hard indicators (branch scorecard, committee subtree, SASAC overview) and their Excel exports."""
