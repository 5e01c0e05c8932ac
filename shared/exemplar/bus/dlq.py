"""Dead letters on JetStream: the message as it was, with headers naming the consumer, the
original subject, the error and the delivery count; listed and replayed by `exemplar dlq`."""

from __future__ import annotations

import json

from nats.js.errors import NotFoundError

from .base import DeadLetter

H_CONSUMER, H_ERROR = "Exemplar-Consumer", "Exemplar-Error"
H_SUBJECT, H_DELIVERIES = "Exemplar-Subject", "Exemplar-Deliveries"
H_MSG_ID = "Exemplar-Msg-Id"
DLQ_HEADERS = (H_CONSUMER, H_ERROR, H_SUBJECT, H_DELIVERIES, H_MSG_ID)


def encode_error(text: str, limit: int = 2000) -> str:
    """A header value must be one ASCII line: Vietnamese rule messages are \\u-escaped."""
    return json.dumps(" ".join(text.split())[:limit])[1:-1]


def decode_error(value: str) -> str:
    try:
        return json.loads(f'"{value}"')
    except ValueError:
        return value


def dead_letter_headers(headers: dict[str, str], *, consumer: str, subject: str, error: str,
                        deliveries: int) -> dict[str, str]:
    """Headers of the DLQ copy; the original Nats-Msg-Id is kept aside (the DLQ must not
    dedupe on it, nor on anything but this consumer's copy)."""
    kept = {k: v for k, v in headers.items() if k != "Nats-Msg-Id"}
    kept.update({H_CONSUMER: consumer, H_SUBJECT: subject, H_ERROR: encode_error(error),
                 H_DELIVERIES: str(deliveries)})
    if headers.get("Nats-Msg-Id"):
        kept[H_MSG_ID] = headers["Nats-Msg-Id"]
    return kept


def letter(sequence: int, data: bytes, raw_headers: dict | None) -> DeadLetter:
    headers = {str(k): str(v) for k, v in (raw_headers or {}).items()}
    return DeadLetter(sequence=sequence, consumer=headers.get(H_CONSUMER, "?"),
                      subject=headers.get(H_SUBJECT, "?"), msg_id=headers.get(H_MSG_ID),
                      error=decode_error(headers.get(H_ERROR, "")),
                      deliveries=int(headers.get(H_DELIVERIES, "0") or 0), data=data,
                      headers=headers)


def replay_headers(dead: DeadLetter) -> dict[str, str]:
    """The original headers (trace context included) and a new message id, so JetStream's
    duplicate window does not drop it; the event id inside is unchanged, so consumers that
    already applied it skip it."""
    headers = {k: v for k, v in dead.headers.items() if k not in DLQ_HEADERS}
    headers["Nats-Msg-Id"] = f"{dead.msg_id or 'dlq'}.replay.{dead.sequence}"
    return headers


async def list_letters(js, stream: str) -> list[DeadLetter]:
    state = (await js.stream_info(stream)).state
    letters = []
    for seq in range(state.first_seq, state.last_seq + 1) if state.messages else ():
        try:
            raw = await js.get_msg(stream, seq)
        except NotFoundError:
            continue  # replayed and deleted
        letters.append(letter(raw.seq, raw.data or b"", raw.headers))
    return letters


async def replay(js, stream: str, sequence: int) -> DeadLetter:
    """Publish the dead letter again to its subject, then remove it from the DLQ."""
    try:
        raw = await js.get_msg(stream, sequence)
    except NotFoundError as exc:
        raise KeyError(f"no dead letter {sequence}") from exc
    dead = letter(raw.seq, raw.data or b"", raw.headers)
    await js.publish(dead.subject, dead.data, headers=replay_headers(dead), timeout=5)
    await js.delete_msg(stream, sequence)
    return dead
