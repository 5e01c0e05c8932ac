"""Part II and III of a yearly report: what the figures show went short, and what follows
from it. Each line is read off a figure; with nothing short, the report says so."""

from __future__ import annotations

from datetime import date

from .model import AnnualReport


def number(n: int) -> str:
    """'05', '12', '1.250': counts as administrative documents write them."""
    return f"{n:02d}" if 0 <= n < 10 else f"{n:,}".replace(",", ".")


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _names(lines) -> str:
    return ", ".join(line.unit_name for line in lines)


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def achievements(report: AnnualReport) -> list[str]:
    summary, t = report.quota_summary(), report.totals
    lines = [f"{number(t['commended'])} điển hình được công nhận, khen thưởng; "
             f"{number(t['publicised'])} điển hình được tuyên truyền; "
             f"{number(t['escalated'])} điển hình được giới thiệu lên tỉnh."]
    if report.quotas:
        lines.append(f"{number(summary['met'])}/{number(len(report.quotas))} chỉ tiêu đạt "
                     f"tính đến ngày {_day(report.on)}.")
    return lines


def shortcomings(report: AnnualReport) -> list[str]:
    t, lines = report.totals, []
    publicity = [q for q in report.quotas if q.quota == "publicised"]
    missed = [q for q in publicity if q.status == "missed"]
    at_risk = [q for q in publicity if q.status == "at_risk"]
    if missed:
        lines.append(f"{number(len(missed))} đơn vị không đạt chỉ tiêu điển hình được tuyên "
                     f"truyền: {_names(missed)}.")
    if at_risk:
        lines.append(f"{number(len(at_risk))} đơn vị chưa đạt chỉ tiêu điển hình được tuyên "
                     f"truyền (hạn {_day(at_risk[0].due_on)}): {_names(at_risk)}.")
    for line in report.quotas:
        if line.quota == "escalated" and line.status != "met":
            lines.append(f"Mới giới thiệu {number(line.achieved)}/{number(line.required)} "
                         f"điển hình lên {report.board}.")
    silent = t["commended"] - t["publicised"]
    if silent > 0:
        lines.append(f"{number(silent)} điển hình đã được công nhận nhưng chưa được tuyên "
                     "truyền trên kênh nào.")
    if t["revoked"]:
        lines.append(f"{number(t['revoked'])} khen thưởng bị thu hồi trong năm.")
    if report.inspections.recommendations_open:
        lines.append(f"{number(report.inspections.recommendations_open)} kiến nghị sau kiểm "
                     "tra chưa được thực hiện xong.")
    budget = report.budget
    if budget.unpriced:
        lines.append(f"{number(budget.unpriced)} khen thưởng chưa có định mức tiền thưởng.")
    if budget.allocated < budget.estimated:
        lines.append(f"Kinh phí được phân bổ ({money(budget.allocated)}) thấp hơn dự toán "
                     f"({money(budget.estimated)}).")
    return lines or ["Số liệu tổng hợp không ghi nhận tồn tại, hạn chế."]


def proposals(report: AnnualReport) -> list[str]:
    t, lines, next_year = report.totals, [], report.year + 1
    short = [q for q in report.quotas if q.quota == "publicised" and q.status != "met"]
    if short:
        lines.append(f"Các đơn vị chưa đạt chỉ tiêu ({number(len(short))} đơn vị) tập trung "
                     "phát hiện, công nhận và tuyên truyền ít nhất "
                     f"{number(short[0].required)} điển hình tiên tiến.")
    for line in report.quotas:
        if line.quota == "escalated" and line.status != "met":
            lines.append(f"Lựa chọn, giới thiệu đủ {number(line.required)} điển hình tiêu "
                         f"biểu lên {report.board}.")
    silent = t["commended"] - t["publicised"]
    if silent > 0:
        lines.append(f"Tuyên truyền {number(silent)} điển hình đã được công nhận nhưng chưa "
                     "được tuyên truyền.")
    if report.inspections.recommendations_open:
        lines.append(f"Đôn đốc thực hiện {number(report.inspections.recommendations_open)} "
                     "kiến nghị sau kiểm tra còn lại.")
    if not report.inspections.plans:
        lines.append(f"Xây dựng kế hoạch kiểm tra, giám sát năm {next_year}.")
    if not report.training.sessions:
        lines.append("Tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác thi đua, khen thưởng.")
    budget = report.budget
    if budget.unpriced:
        lines.append(f"Xác định mức tiền thưởng cho {number(budget.unpriced)} khen thưởng "
                     "chưa có định mức.")
    if budget.allocated < budget.estimated:
        lines.append(f"Đề nghị bố trí bổ sung {money(budget.estimated - budget.allocated)} "
                     "kinh phí so với dự toán.")
    return lines or [f"Duy trì các kết quả đã đạt, thực hiện các chỉ tiêu năm {next_year}."]
