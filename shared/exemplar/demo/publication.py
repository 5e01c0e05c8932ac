"""Editors fact-check, approve and publish the stories drafted from the decision: on the
portal, the district radio and a commune station."""

from __future__ import annotations

from .client import Demo

OFFICE = "noi-vu.head"
# (nomination, channel, its editor)
PUBLISH = [
    ("hoa", "portal-guong-dien-hinh", "cong-ttdt.editor"),
    ("hoa", "radio-huyen", "dai-th.editor"),
    ("hoa", "radio-dak-o", "dak-o.radio"),
    ("thinh", "portal-guong-dien-hinh", "cong-ttdt.editor"),
    ("khanh", "portal-guong-dien-hinh", "cong-ttdt.editor"),
]


def story_on(demo: Demo, nomination_id: str, channel: str) -> dict:
    def probe() -> dict | None:
        items = demo.get("publication", "/stories", OFFICE,
                         params={"nomination_id": nomination_id, "limit": 500})["items"]
        return next((s for s in items if s["channel_id"] == channel), None)

    return demo.wait_for(f"story of {nomination_id} on {channel}", probe)


def run(demo: Demo, year: int) -> None:
    sent = demo.state["nominations"]
    published = []
    for key, channel, editor in PUBLISH:
        story = story_on(demo, sent[key]["id"], channel)
        path = f"/stories/{story['id']}"
        demo.post("publication", f"{path}/fact-check", editor,
                  {"confirmed": list(range(len(story["claims"])))})
        demo.post("publication", f"{path}/approve", editor)
        published.append(demo.post("publication", f"{path}/publish", editor))
        demo.step(f"publication: {editor} published “{story['title']}” on {channel}")
    demo.state["stories"] = published
