"""Units publish their criteria and the district launches a movement."""

from __future__ import annotations

from .client import Demo

CRITERIA = {
    "field": "kinh_te",
    "title": "Tiêu chí điển hình tiên tiến lĩnh vực kinh tế, xã Đắk Ơ",
    "criteria": [
        {"code": "KT1", "text": "Vận động ít nhất 20 hộ chuyển đổi cây trồng có hiệu quả."},
        {"code": "KT2", "text": "Thu nhập bình quân của ấp tăng trên 15 % so với năm trước."},
    ],
}
MOVEMENT = {
    "title": "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
    "field": "nong_nghiep", "kind": "campaign",
    "starts_on": "2024-01-01", "ends_on": "2025-06-30",
    "targets": "Mỗi xã có ít nhất một mô hình điển hình được nhân rộng.",
    "interim_review_on": "2024-07-15", "final_review_on": "2025-06-20",
    "directive": "Kế hoạch số 80/KH-UBND ngày 26/4/2023 của UBND huyện",
}


def run(demo: Demo) -> None:
    created = demo.post("nomination", "/criteria-sets", "dak-o.officer", CRITERIA)
    demo.post("nomination", f"/criteria-sets/{created['id']}/versions/1/publish", "dak-o.head")
    demo.step(f"units: Đắk Ơ published its criteria ({len(CRITERIA['criteria'])} criteria)")
    movement = demo.post("nomination", "/movements", "noi-vu.officer", MOVEMENT)
    demo.post("nomination", f"/movements/{movement['id']}/launch", "noi-vu.head")
    demo.step("units: the district launched the movement “nông thôn mới”")
