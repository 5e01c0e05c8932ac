"""The trace an event was sent in, as its `traceparent` header on the stream tells it."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid

import nats

from exemplar.events import Event, wrap
from exemplar.testing import eventually

from .helpers import stream_count


def traceparent() -> tuple[str, str, str]:
    """A new sampled trace: (trace id, span id, header)."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return trace_id, span_id, f"00-{trace_id}-{span_id}-01"


def ids(header: str) -> tuple[str, str]:
    """(trace id, span id) of a `traceparent` header."""
    _, trace_id, span_id, _ = header.split("-")
    return trace_id, span_id


async def publish_traced(url: str, event: Event, *, subject: str,
                         source: str) -> tuple[str, str]:
    """Publish as a service's relay would, in a trace of its own: (trace id, span id)."""
    trace_id, span_id, header = traceparent()
    envelope = wrap(event, source=source, subject=subject)
    nc = await nats.connect(url, connect_timeout=5)
    try:
        await nc.jetstream().publish(
            envelope.type, envelope.model_dump_json().encode(), timeout=5,
            headers={"Nats-Msg-Id": str(uuid.uuid4()), "traceparent": header})
    finally:
        await nc.close()
    return trace_id, span_id


async def sent_in(url: str, subject: str, *, count: int = 1) -> list[tuple[dict, str]]:
    """Once `count` events are on `subject`: each envelope with the (trace id, span id) it
    was published in, in stream order."""
    async def arrived() -> bool:
        return await stream_count(url, subject) >= count

    await eventually(arrived, what=f"{count} × {subject}")
    nc = await nats.connect(url, connect_timeout=5)
    js = nc.jetstream()
    try:
        state = (await asyncio.wait_for(js.stream_info("EXEMPLAR"), 5)).state
        found = []
        for seq in range(state.first_seq, state.last_seq + 1):
            msg = await asyncio.wait_for(js.get_msg("EXEMPLAR", seq), 5)
            if msg.subject == subject:
                found.append((json.loads(msg.data), ids((msg.headers or {})["traceparent"])))
        return found
    finally:
        await nc.close()
