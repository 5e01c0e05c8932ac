"""The Vietnamese names of what the events say about a nominee (its kind, its gender), for
every document and table that prints them, in one place. Plain data: the reporting service
reads it at start-up without loading python-docx (exemplar.paperwork)."""

from __future__ import annotations

NOMINEE_KINDS = {"individual": "Cá nhân", "collective": "Tập thể", "household": "Hộ gia đình"}
GENDERS = {"male": "Nam", "female": "Nữ", "other": "Khác"}
