"""The public's HTML pages: plain, accessible Vietnamese markup, every text escaped.

`home` is the path of the postings index as the client sees it (any proxy prefix included);
every link and the form's action are built from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

from .domain import KINDS, LABELS, LIMITS, WINDOW_NAMES, Window

STYLE = """
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;margin:0;
color:#1b1b1b;background:#fff}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{border-bottom:3px solid #b71c1c}
table{border-collapse:collapse;width:100%;margin:1rem 0}
caption{text-align:left;font-weight:bold;padding:.5rem 0}
th,td{border:1px solid #999;padding:.4rem;vertical-align:top;text-align:left}
thead th{background:#f3f3f3}
label,legend{display:block;font-weight:bold;margin-top:.8rem}
input[type=text],select,textarea{width:100%;max-width:40rem;padding:.4rem;font:inherit}
fieldset{border:0;padding:0;margin:0}
fieldset label{display:inline;font-weight:normal;margin-right:1rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit}
.error{color:#b00020}
.alert{border:2px solid #b00020;padding:.5rem 1rem}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #1565c0}
"""


@dataclass(frozen=True)
class Listed:
    """One case as the public sees it: never contact data, never unverified achievements."""

    case_id: str
    nominee: str
    unit: str
    field: str
    award: str
    achievements: list[str]


@dataclass(frozen=True)
class PostingView:
    id: str
    title: str
    opens_on: date
    closes_on: date
    window: Window
    count: int


def e(value: object) -> str:
    return escape(str(value), quote=True)


def vn(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def document(title: str, body: str, *, place: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header><p>{e(place)} — Công khai danh sách đề nghị khen thưởng</p></header>\n'
        f"<main>\n{body}\n</main>\n"
        "<footer><p>Ý kiến gửi về được Cơ quan thường trực Hội đồng Thi đua – Khen thưởng "
        "xem xét; thông tin liên hệ của người gửi không được công bố.</p></footer>\n"
        "</body>\n</html>\n")


def _dates(view: PostingView) -> str:
    return (f"<p>Thời gian công khai: từ ngày <time datetime=\"{view.opens_on}\">"
            f"{vn(view.opens_on)}</time> đến hết ngày <time datetime=\"{view.closes_on}\">"
            f"{vn(view.closes_on)}</time>. Tình trạng: <strong>"
            f"{e(WINDOW_NAMES[view.window])}</strong>.</p>")


def index(views: list[PostingView], *, place: str, home: str) -> str:
    if not views:
        body = "<p>Hiện không có đợt công khai nào.</p>"
    else:
        rows = "\n".join(
            f'<tr><th scope="row"><a href="{e(home)}/{quote(v.id)}">{e(v.title)}</a></th>'
            f"<td>{vn(v.opens_on)}</td><td>{vn(v.closes_on)}</td>"
            f"<td>{e(WINDOW_NAMES[v.window])}</td><td>{v.count}</td></tr>" for v in views)
        body = (
            '<table>\n<caption>Các đợt công khai đang diễn ra hoặc vừa kết thúc</caption>\n'
            '<thead><tr><th scope="col">Đợt công khai</th><th scope="col">Từ ngày</th>'
            '<th scope="col">Đến hết ngày</th><th scope="col">Tình trạng</th>'
            f'<th scope="col">Số hồ sơ</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n'
            "</table>")
    title = "Công khai danh sách đề nghị khen thưởng"
    return document(f"{title} – {place}", f"<h1>{e(title)}</h1>\n{body}", place=place)


def _cases(rows: list[Listed]) -> str:
    if not rows:
        return "<p>Danh sách hiện không còn hồ sơ nào.</p>"
    lines = []
    for n, row in enumerate(rows, 1):
        done = "".join(f"<li>{e(a)}</li>" for a in row.achievements)
        lines.append(f'<tr><td>{n}</td><th scope="row">{e(row.nominee)}</th>'
                     f"<td>{e(row.unit)}</td><td>{e(row.field)}</td><td>{e(row.award)}</td>"
                     f"<td><ul>{done}</ul></td></tr>")
    return (
        "<table>\n<caption>Danh sách cá nhân, tập thể được đề nghị khen thưởng</caption>\n"
        '<thead><tr><th scope="col">STT</th><th scope="col">Cá nhân, tập thể</th>'
        '<th scope="col">Đơn vị đề nghị</th><th scope="col">Lĩnh vực</th>'
        '<th scope="col">Danh hiệu, hình thức đề nghị</th>'
        '<th scope="col">Thành tích đã được thẩm định</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(lines)}\n</tbody>\n</table>")


def _field(name: str, control: str, errors: Mapping[str, str], hint: str = "") -> str:
    """A labelled control; its error, if any, is tied to it for screen readers."""
    error = errors.get(name)
    said = f'<p id="{name}-error" class="error">{e(error)}</p>' if error else ""
    return f'<label for="{name}">{e(LABELS[name].capitalize())}{hint}</label>\n{said}{control}'


def _attrs(name: str, errors: Mapping[str, str]) -> str:
    if name in errors:
        return f' id="{name}" name="{name}" aria-invalid="true" aria-describedby="{name}-error"'
    return f' id="{name}" name="{name}"'


def _form(view: PostingView, rows: list[Listed], errors: Mapping[str, str],
          values: Mapping[str, str], home: str) -> str:
    kind = values.get("kind", "comment")
    radios = "".join(
        f'<input type="radio" id="kind-{k}" name="kind" value="{k}"'
        f'{" checked" if k == kind else ""}> <label for="kind-{k}">{e(v.capitalize())}</label>'
        for k, v in KINDS.items())
    chosen = values.get("case_id", "")
    options = '<option value="">Không về riêng hồ sơ nào</option>' + "".join(
        f'<option value="{e(r.case_id)}"{" selected" if r.case_id == chosen else ""}>'
        f"{e(r.nominee)} – {e(r.unit)}</option>" for r in rows)
    summary = ""
    if errors:
        items = "".join(f'<li><a href="#{f}">{e(LABELS.get(f, f).capitalize())}: {e(why)}</a>'
                        "</li>" for f, why in errors.items())
        summary = (f'<div class="alert" role="alert"><p>Ý kiến chưa gửi được, xin sửa lại:</p>'
                   f"<ul>{items}</ul></div>\n")
    text_value = e(values.get("text", ""))
    return (
        '<section aria-labelledby="gui-y-kien">\n<h2 id="gui-y-kien">Gửi ý kiến</h2>\n'
        f"{summary}<p>Ý kiến được nhận đến hết ngày {vn(view.closes_on)}. Khiếu nại phải "
        "chỉ rõ hồ sơ bị khiếu nại.</p>\n"
        f'<form method="post" action="{e(home)}/{quote(view.id)}/feedback">\n'
        f'<fieldset><legend>{e(LABELS["kind"].capitalize())}</legend>{radios}</fieldset>\n'
        + _field("case_id", f'<select{_attrs("case_id", errors)}>{options}</select>', errors,
                 " (bắt buộc với khiếu nại)") + "\n"
        + _field("name", f'<input type="text"{_attrs("name", errors)} required '
                 f'maxlength="{LIMITS["name"]}" autocomplete="name" '
                 f'value="{e(values.get("name", ""))}">', errors) + "\n"
        + _field("contact", f'<input type="text"{_attrs("contact", errors)} required '
                 f'maxlength="{LIMITS["contact"]}" value="{e(values.get("contact", ""))}">',
                 errors, " (điện thoại, thư điện tử hoặc địa chỉ; không công bố)") + "\n"
        + _field("text", f'<textarea{_attrs("text", errors)} required rows="6" '
                 f'maxlength="{LIMITS["text"]}">{text_value}</textarea>', errors) + "\n"
        + "<button type=\"submit\">Gửi ý kiến</button>\n</form>\n</section>")


def posting(view: PostingView, rows: list[Listed], *, place: str, home: str,
            errors: Mapping[str, str] | None = None,
            values: Mapping[str, str] | None = None) -> str:
    parts = [f"<h1>{e(view.title)}</h1>", _dates(view)]
    if view.window is Window.scheduled:
        parts.append("<p>Danh sách sẽ được công bố khi bắt đầu thời gian công khai.</p>")
    else:
        parts.append(_cases(rows))
    if view.window is Window.open:
        parts.append(_form(view, rows, errors or {}, values or {}, home))
    elif view.window is Window.closed:
        parts.append("<p>Đã hết thời gian nhận ý kiến về đợt công khai này.</p>")
    parts.append(f'<p><a href="{e(home)}">Tất cả các đợt công khai</a></p>')
    return document(f"{view.title} – {place}", "\n".join(parts), place=place)


def message(title: str, text: str, *, place: str, back: str | None = None) -> str:
    link = f'\n<p><a href="{e(back)}">Quay lại</a></p>' if back else ""
    return document(f"{title} – {place}", f"<h1>{e(title)}</h1>\n<p>{e(text)}</p>{link}",
                    place=place)


def thanks(view: PostingView, kind: str, *, place: str, home: str) -> str:
    return message("Đã nhận ý kiến của bạn",
                   f"Cảm ơn bạn đã gửi {KINDS[kind]} về “{view.title}”. Ý kiến sẽ được Cơ quan "
                   "thường trực kiểm duyệt và xem xét.", place=place,
                   back=f"{home}/{quote(view.id)}")
