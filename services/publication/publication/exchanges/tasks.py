"""Periodic work of exchanges: none; a meeting is recorded by its organiser afterwards."""

from exemplar.runtime import Background

BACKGROUND: list[Background] = []
