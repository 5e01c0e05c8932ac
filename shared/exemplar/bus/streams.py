"""The two JetStream streams every service relies on, declared by whichever starts first."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

DUPLICATE_WINDOW_SECONDS = 120.0


async def ensure_streams(js, *, stream: str, dlq_stream: str, dlq_subjects: str,
                         replicas: int) -> None:
    """Create the streams when missing. An existing stream keeps its configuration (an
    operator's limits, replicas): only what the bus relies on is raised, never lowered."""
    wanted = (
        StreamConfig(name=stream, subjects=["exemplar.>"], storage=StorageType.FILE,
                     retention=RetentionPolicy.LIMITS, max_age=0, num_replicas=replicas,
                     duplicate_window=DUPLICATE_WINDOW_SECONDS),
        StreamConfig(name=dlq_stream, subjects=[dlq_subjects], storage=StorageType.FILE,
                     retention=RetentionPolicy.LIMITS, num_replicas=replicas,
                     duplicate_window=DUPLICATE_WINDOW_SECONDS),
    )
    for config in wanted:
        try:
            current = (await js.stream_info(config.name)).config
        except NotFoundError:
            with contextlib.suppress(BadRequestError):  # another replica won the race
                await js.add_stream(config)
            continue
        subjects = sorted(set(current.subjects or []) | set(config.subjects))
        window = max(current.duplicate_window or 0, DUPLICATE_WINDOW_SECONDS)
        if subjects != sorted(current.subjects or []) or window != current.duplicate_window:
            await js.update_stream(replace(current, subjects=subjects, duplicate_window=window))
