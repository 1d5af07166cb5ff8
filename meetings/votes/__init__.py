"""Votes of a 支部党员大会 (DOMAIN.md "Votes and elections"): resolutions with their counts and whether they passed
(rules.py), the election of a committee tied to the held meeting it took place in (services.py), their pages."""
