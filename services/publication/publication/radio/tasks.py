"""Periodic work of radio (being built): exemplar.runtime.periodic(...) entries."""

from exemplar.runtime import Background

BACKGROUND: list[Background] = []
