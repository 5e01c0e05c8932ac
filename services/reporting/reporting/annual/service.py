"""Building a yearly report: gather its figures in one read-only transaction, then render the
requested format away from the event loop.

The counts come from the tallies and the quota table (a few thousand rows whatever the number
of nominations), the names from two bounded reads of the facts (see names.py), and the
inspections, training and budget from each feature's `year_summary`."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Literal

from exemplar.errors import NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork

from ..budgets import service as budgets
from ..inspections import service as inspections
from ..quotas import service as quotas
from ..training import service as training
from . import figures, names, pdf
from .model import AnnualReport

Format = Literal["docx", "xlsx", "csv", "pdf"]
MEDIA_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
YEARS = range(2000, 2101)


def _check(profile: Profile, *, year: int, unit_id: str | None, on: date) -> None:
    if year not in YEARS:
        raise RuleViolation("Năm báo cáo không hợp lệ.", fields={"year": "từ 2000 đến 2100"})
    if on < date(year, 1, 1):
        raise RuleViolation("Ngày báo cáo phải từ ngày 01/01 của năm báo cáo.",
                            fields={"on": f"trước ngày 01/01/{year}"})
    if unit_id is not None and unit_id not in {u.id for u in profile.units}:
        raise NotFound(f"Không tìm thấy đơn vị '{unit_id}'.", fields={"unit_id": unit_id})


def scope_name(profile: Profile, unit_id: str | None) -> str:
    """'huyện Bù Gia Mập' for the district's report, the unit's name for a unit's."""
    if unit_id is not None:
        return profile.unit(unit_id).name
    name = profile.jurisdiction.name
    return name[:1].lower() + name[1:]


async def gather(uow: UnitOfWork, profile: Profile, *, year: int, unit_id: str | None = None,
                 on: date, number: str | None = None, signer_name: str | None = None,
                 signer_title: str | None = None) -> AnnualReport:
    """Everything the report says, as plain values (no rendering, no writing)."""
    from .heading import Signer, heading  # the layout loads python-docx: not at start-up

    _check(profile, year=year, unit_id=unit_id, on=on)
    session, units = uow.session, figures.unit_ids(profile, unit_id)
    lines = await quotas.quota_table(uow, profile, year=year, on=on, unit_id=unit_id)
    counts = await figures.count(session, profile, year=year, unit_id=unit_id, quotas=lines)
    totals = counts.totals
    return AnnualReport(
        year=year, on=on, unit_id=unit_id, scope_name=scope_name(profile, unit_id),
        totals=totals, breakdowns=counts.breakdowns, channels=counts.channels,
        units=counts.units, quotas=tuple(lines),
        escalated=await names.escalated(session, profile, year=year, unit_ids=units,
                                        total=totals["escalated"]),
        commended=None if unit_id is None else await names.commended(
            session, profile, year=year, unit_ids=units, total=totals["commended"]),
        inspections=await inspections.year_summary(session, year=year, unit_id=unit_id),
        training=await training.year_summary(session, year=year, unit_id=unit_id),
        budget=await budgets.year_summary(session, profile, year=year, unit_id=unit_id),
        heading=heading(profile, unit_id=unit_id, on=on, number=number,
                        signer=Signer(name=signer_name, title=signer_title)))


def render(report: AnnualReport, fmt: str) -> bytes:
    """DOCX, XLSX or CSV bytes; CPU-bound: run it in a thread."""
    if fmt == "xlsx":
        from .workbook import annual_workbook

        return annual_workbook(report)
    if fmt == "csv":
        from .tables import unit_csv

        return unit_csv(report)
    from .document import annual_document

    return annual_document(report)


async def build(uow: UnitOfWork, profile: Profile, *, year: int, unit_id: str | None = None,
                on: date, fmt: str = "docx", number: str | None = None,
                signer_name: str | None = None, signer_title: str | None = None) -> bytes:
    """The yearly report of a unit (with the units below it), or of the district
    (`unit_id=None`), judged and dated on `on`, as `fmt`: docx, xlsx, csv or pdf. A PDF
    raises pdf.PdfUnavailable where no converter is installed."""
    if fmt not in MEDIA_TYPES:
        raise RuleViolation("Định dạng báo cáo không hợp lệ.",
                            fields={"format": f"chỉ nhận: {', '.join(MEDIA_TYPES)}"})
    _check(profile, year=year, unit_id=unit_id, on=on)
    if fmt == "pdf":
        pdf.require_converter()  # before any work
    report = await gather(uow, profile, year=year, unit_id=unit_id, on=on, number=number,
                          signer_name=signer_name, signer_title=signer_title)
    # Nothing is written: the connection goes back to the pool while the file is made.
    await uow.session.rollback()
    content = await asyncio.to_thread(render, report, fmt)
    if fmt == "pdf":
        content = await pdf.to_pdf(content)
    return content
