"""Building a yearly report: gather its figures in one read-only transaction, then render the
requested format away from the event loop.

The counts come from the tallies and the quota table (a few thousand rows whatever the number
of nominations), the names from two bounded reads of the facts (see names.py; the XLSX
streams the whole lists), and the inspections, training and budget from each feature's
`year_summary`."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Literal

from exemplar.clock import today
from exemplar.errors import NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.text import fold
from exemplar.uow import UnitOfWork

from ..budgets import service as budgets
from ..inspections import service as inspections
from ..quotas import service as quotas
from ..quotas.rules import QuotaLine
from ..training import service as training
from . import figures, names, pdf
from .area import board_name, tier
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
    """A year that has not begun has nothing to report: the year is refused, whatever day
    the report would be dated (the caller may not have sent `on`: it defaults to today)."""
    if year not in YEARS:
        raise RuleViolation("Năm báo cáo không hợp lệ.", fields={"year": "từ 2000 đến 2100"})
    if date(year, 1, 1) > today():
        raise RuleViolation(f"Năm {year} chưa bắt đầu: chưa có số liệu để báo cáo.",
                            fields={"year": f"chưa đến năm {year}"})
    if on < date(year, 1, 1):
        raise RuleViolation("Ngày báo cáo phải từ ngày 01/01 của năm báo cáo.",
                            fields={"on": f"trước ngày 01/01/{year}"})
    if unit_id is not None and unit_id not in {u.id for u in profile.units}:
        raise NotFound(f"Không tìm thấy đơn vị '{unit_id}'.", fields={"unit_id": unit_id})


def scope_name(profile: Profile, unit_id: str | None) -> str:
    """'huyện Bù Gia Mập' ('xã Bù Gia Mập' for a commune's profile) for the district's
    report, the unit's name for a unit's."""
    if unit_id is not None:
        return profile.unit(unit_id).name
    name = profile.jurisdiction.name
    return name[:1].lower() + name[1:]


def file_names(profile: Profile, *, year: int, unit_id: str | None) -> tuple[str, str]:
    """The download's ASCII stem and its Vietnamese title: 'bao-cao-nam-2024-toan-huyen'
    ('toan-xa' for a commune's profile), 'Báo cáo năm 2024 - huyện Bù Gia Mập'."""
    where = unit_id or "-".join(fold(f"toàn {tier(profile)}").split())
    return (f"bao-cao-nam-{year}-{where}",
            f"Báo cáo năm {year} - {scope_name(profile, unit_id)}")


async def _quota_lines(uow: UnitOfWork, profile: Profile, *, year: int, on: date,
                       unit_id: str | None) -> list[QuotaLine]:
    """The district's lines, or those of every owing unit the unit's report covers (itself
    and the units below it): the district's table read once and kept to them, the same
    lines quota_table gives for each of them."""
    lines = await quotas.quota_table(uow, profile, year=year, on=on)
    if unit_id is None:
        return lines
    covered = set(figures.unit_ids(profile, unit_id) or [])
    return [line for line in lines if line.unit_id in covered]


async def gather(uow: UnitOfWork, profile: Profile, *, year: int, unit_id: str | None = None,
                 on: date, number: str | None = None, signer_name: str | None = None,
                 signer_title: str | None = None) -> AnnualReport:
    """Everything the report says, as plain values (no rendering, no writing)."""
    _check(profile, year=year, unit_id=unit_id, on=on)
    return await _gather(uow, profile, year=year, unit_id=unit_id, on=on, number=number,
                         signer_name=signer_name, signer_title=signer_title)


async def _gather(uow: UnitOfWork, profile: Profile, *, year: int, unit_id: str | None,
                  on: date, number: str | None, signer_name: str | None,
                  signer_title: str | None) -> AnnualReport:
    from .heading import Signer, heading  # the layout loads python-docx: not at start-up

    session, units = uow.session, figures.unit_ids(profile, unit_id)
    lines = await _quota_lines(uow, profile, year=year, on=on, unit_id=unit_id)
    counts = await figures.count(session, profile, year=year, unit_id=unit_id, quotas=lines)
    totals = counts.totals
    return AnnualReport(
        year=year, on=on, unit_id=unit_id, scope_name=scope_name(profile, unit_id),
        tier=tier(profile), plan=profile.jurisdiction.plan,
        board=board_name(profile, year=year, on=on),
        totals=totals, breakdowns=counts.breakdowns, channels=counts.channels,
        units=counts.units, quotas=tuple(lines),
        escalated=await names.listing(session, profile, names.escalated_query(
            year=year, unit_ids=units), total=totals["escalated"]),
        commended=None if unit_id is None else await names.listing(
            session, profile, names.commended_query(year=year, unit_ids=units),
            total=totals["commended"]),
        inspections=await inspections.year_summary(session, year=year, unit_id=unit_id,
                                                   unit_ids=units),
        training=await training.year_summary(session, year=year, unit_id=unit_id,
                                             unit_ids=units),
        budget=await budgets.year_summary(session, profile, year=year, unit_id=unit_id),
        heading=heading(profile, unit_id=unit_id, on=on, number=number,
                        signer=Signer(name=signer_name, title=signer_title)))


def render(report: AnnualReport, fmt: str) -> bytes:
    """DOCX, XLSX or CSV bytes of what the report holds; CPU-bound: run it in a thread."""
    if fmt == "xlsx":
        from .workbook import annual_workbook

        return annual_workbook(report)
    if fmt == "csv":
        from .tables import unit_csv

        return unit_csv(report)
    from .document import annual_document

    return annual_document(report)


async def _workbook(uow: UnitOfWork, profile: Profile, report: AnnualReport) -> bytes:
    """The XLSX with every name of each list, streamed from the database into the sheet
    chunk by chunk (each chunk written in a thread), then the file made."""
    from .tables import COMMENDED, ESCALATED
    from .workbook import AnnualWorkbook

    units = figures.unit_ids(profile, report.unit_id)
    book = await asyncio.to_thread(AnnualWorkbook, report)
    lists = [(ESCALATED, names.escalated_query(year=report.year, unit_ids=units))]
    if report.commended is not None:
        lists.insert(0, (COMMENDED, names.commended_query(year=report.year, unit_ids=units)))
    try:
        for label, query in lists:
            async for chunk in names.every(uow.session, profile, query):
                await asyncio.to_thread(book.add_names, label, chunk)
    except BaseException:
        book.discard()
        raise
    await uow.session.rollback()
    return await asyncio.to_thread(book.close)


async def build(uow: UnitOfWork, profile: Profile, *, year: int, unit_id: str | None = None,
                on: date, fmt: Format = "docx", number: str | None = None,
                signer_name: str | None = None, signer_title: str | None = None) -> bytes:
    """The yearly report of a unit (with the units below it), or of the district
    (`unit_id=None`), judged and dated on `on`, as `fmt`: docx, xlsx, csv or pdf. A PDF
    raises pdf.PdfUnavailable where no converter is installed."""
    _check(profile, year=year, unit_id=unit_id, on=on)
    if fmt == "pdf":
        pdf.require_converter()  # before any work
    report = await _gather(uow, profile, year=year, unit_id=unit_id, on=on, number=number,
                           signer_name=signer_name, signer_title=signer_title)
    if fmt == "xlsx":
        return await _workbook(uow, profile, report)
    # Nothing is written: the connection goes back to the pool while the file is made.
    await uow.session.rollback()
    content = await asyncio.to_thread(render, report, fmt)
    if fmt == "pdf":
        content = await pdf.to_pdf(content)
    return content
