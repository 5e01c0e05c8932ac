"""The yearly report (annual_report) of a unit, or of the district for the province: DOCX in
the administrative layout, XLSX annexes, the per-unit CSV, and PDF where a converter is."""
