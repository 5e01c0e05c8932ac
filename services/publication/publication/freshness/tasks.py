"""Periodic work of freshness: check the regular columns and announce the overdue ones."""

from __future__ import annotations

from exemplar.runtime import Background, Runtime, periodic

from . import service

# Gaps are counted in days: an hourly check announces a quiet column within the hour. The
# setting `column_check_seconds` overrides it once the service's settings carry one.
COLUMN_CHECK_SECONDS = 3600.0


def check_every(runtime: Runtime) -> float:
    return float(getattr(runtime.settings, "column_check_seconds", COLUMN_CHECK_SECONDS))


async def check_columns(runtime: Runtime) -> None:
    await service.check_columns(open_uow=runtime.uow, profile=runtime.profile)


BACKGROUND: list[Background] = [periodic(check_columns, every=check_every)]
