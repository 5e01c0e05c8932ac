"""Periodic work of freshness: check the regular columns and announce the overdue ones."""

from __future__ import annotations

from exemplar.runtime import Background, Runtime, periodic

from . import service


def check_every(runtime: Runtime) -> float:
    return runtime.settings.column_check_seconds


async def check_columns(runtime: Runtime) -> None:
    await service.check_columns(open_uow=runtime.uow, profile=runtime.profile)


BACKGROUND: list[Background] = [periodic(check_columns, every=check_every)]
