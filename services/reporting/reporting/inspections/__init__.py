"""Inspections and supervision (kiểm tra, giám sát): yearly plans, the units inspected, findings,
recommendations and their follow-up."""
