"""The bus on NATS JetStream (nats-py).

One stream (`EXEMPLAR` on `exemplar.>`) holds the history; a second (`EXEMPLAR_DLQ`) keeps the
messages consumers gave up on, with their error. Consumers are durable pull consumers with
explicit ack; the delivery limit is enforced here (the server's is unlimited) so a message is
dead-lettered, never silently dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import ConnectionClosedError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
)
from nats.js.errors import BadRequestError
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ..errors import Poison, Transient
from . import dlq
from .base import BusUnavailable, DeadLetter, Delivery, Handler, retry_delay
from .streams import ensure_streams

log = logging.getLogger(__name__)



class NatsBus:
    def __init__(self, url: str, *, name: str, stream: str = "EXEMPLAR",
                 dlq_stream: str = "EXEMPLAR_DLQ", max_deliver: int = 8,
                 ack_wait: float = 30.0, fetch_batch: int = 64, replicas: int = 1,
                 tracer_provider: trace.TracerProvider | None = None) -> None:
        self.url, self.name = url, name
        self.stream, self.dlq_stream = stream, dlq_stream
        self.max_deliver, self.ack_wait, self.fetch_batch = max_deliver, ack_wait, fetch_batch
        self.replicas = replicas  # used when this bus creates the streams; 3 in a cluster
        self._tracer = trace.get_tracer("exemplar.bus", tracer_provider=tracer_provider)
        self._nc: Client | None = None
        self._ready = asyncio.Event()
        self._closing = False
        self._tasks: list[asyncio.Task] = []
        self._busy: set[asyncio.Task] = set()  # consumers with a batch in hand
        self._pull_subs: list = []
        self._connector: asyncio.Task | None = None

    # -- connection -------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._ready.is_set() and self._nc is not None and self._nc.is_connected

    async def start(self, *, wait: float | None = None) -> None:
        """Connect in the background, retrying until the broker answers; `wait` blocks for it."""
        if self._connector is None:
            self._connector = asyncio.create_task(self._connect_forever(), name="nats-connect")
        if wait:
            await asyncio.wait_for(self._ready.wait(), wait)

    async def _connect_forever(self) -> None:
        attempt = 0
        while not self._closing:
            try:
                if self._nc is None or self._nc.is_closed:
                    self._nc = await nats.connect(
                        self.url, name=self.name, allow_reconnect=True,
                        max_reconnect_attempts=-1, reconnect_time_wait=0.25, connect_timeout=2,
                        # notice a half-open connection within ~30 s, not minutes
                        ping_interval=10, max_outstanding_pings=3,
                        error_cb=self._on_error, disconnected_cb=self._on_disconnect,
                        reconnected_cb=self._on_reconnect)
                await self._ensure_streams()
                self._ready.set()
                log.info("connected to NATS", extra={"nats_url": self.url})
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # unreachable, or JetStream not ready yet: try again
                attempt += 1
                log.warning("NATS not ready, retrying", extra={"error": repr(exc)})
                await asyncio.sleep(min(5.0, 0.2 * attempt))

    async def _on_error(self, exc: Exception) -> None:
        log.warning("NATS error", extra={"error": str(exc)})

    async def _on_disconnect(self) -> None:
        if not self._closing:
            log.warning("NATS disconnected")

    async def _on_reconnect(self) -> None:
        log.info("NATS reconnected")
        # A broker that came back without its store has lost the streams: declare them again.
        task = asyncio.create_task(self._redeclare(), name="nats-redeclare")
        self._tasks.append(task)
        task.add_done_callback(lambda t: t in self._tasks and self._tasks.remove(t))

    async def _redeclare(self) -> None:
        try:
            await self._ensure_streams()
        except Exception as exc:
            log.warning("declaring streams after reconnect failed", extra={"error": repr(exc)})

    async def _ensure_streams(self) -> None:
        await ensure_streams(self._nc.jetstream(), stream=self.stream,
                             dlq_stream=self.dlq_stream, dlq_subjects=f"{self._dlq_prefix}.>",
                             replicas=self.replicas)

    @property
    def _dlq_prefix(self) -> str:
        return f"{self.stream.lower()}_dlq"

    def _js(self):
        if not self.connected:
            raise BusUnavailable("NATS is not connected")
        return self._nc.jetstream()

    async def close(self) -> None:
        """Let consumers finish the batch in hand (so it is acked), stop the idle ones, then
        drain: pending acks and publishes go out before the connection closes."""
        self._closing = True
        tasks = [t for t in [*self._tasks, self._connector] if t is not None]
        for task in tasks:
            if task not in self._busy:
                task.cancel()
        _, late = await asyncio.wait(tasks, timeout=10) if tasks else (set(), set())
        for task in late:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        # Unsubscribe the pull subscriptions first: a late fetch status left in their queue
        # would hold the drain until its timeout. Unacked messages are redelivered anyway.
        for psub in self._pull_subs:
            with contextlib.suppress(Exception):
                await psub.unsubscribe()
        self._pull_subs.clear()
        if self._nc is not None and not self._nc.is_closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._nc.drain(), 5)
            with contextlib.suppress(Exception):
                await self._nc.close()

    # -- publishing -------------------------------------------------------------------------

    async def publish(self, subject: str, data: bytes, *, msg_id: str,
                      headers: dict[str, str] | None = None) -> None:
        js = self._js()
        with self._tracer.start_as_current_span(f"{subject} publish", kind=SpanKind.PRODUCER,
                                                attributes=_span_attrs(subject, msg_id)):
            carrier = dict(headers or {})
            propagate.inject(carrier)
            carrier["Nats-Msg-Id"] = msg_id
            try:
                await js.publish(subject, data, headers=carrier, timeout=5)
            except (TimeoutError, NatsTimeout, ConnectionClosedError) as exc:
                raise BusUnavailable(f"publish {subject} failed: {exc!r}") from exc

    # -- consuming --------------------------------------------------------------------------

    async def subscribe(self, consumer: str, subject: str, handler: Handler) -> None:
        self._tasks.append(asyncio.create_task(self._consume(consumer, subject, handler),
                                               name=f"consume-{consumer}"))

    async def _bind(self, consumer: str, subject: str):
        js = self._js()
        config = ConsumerConfig(durable_name=consumer, filter_subject=subject,
                                ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL,
                                ack_wait=self.ack_wait, max_deliver=-1, max_ack_pending=1000)
        try:
            await js.add_consumer(self.stream, config)
        except BadRequestError as exc:  # exists with another config: keep it, log why
            log.warning("consumer kept as is", extra={"consumer": consumer, "error": str(exc)})
        psub = await js.pull_subscribe_bind(durable=consumer, stream=self.stream)
        self._pull_subs.append(psub)
        return psub

    async def _unbind(self, psub) -> None:
        if psub in self._pull_subs:
            self._pull_subs.remove(psub)
        with contextlib.suppress(Exception):
            await psub.unsubscribe()

    async def _consume(self, consumer: str, subject: str, handler: Handler) -> None:
        """Fetch and deliver until closed. Any failure other than an empty fetch rebinds the
        durable (it is created again if the broker lost it) after a short backoff."""
        psub, failures = None, 0
        task = asyncio.current_task()
        while not self._closing:
            try:
                await self._ready.wait()
                if psub is None:
                    psub = await self._bind(consumer, subject)
                msgs = await psub.fetch(self.fetch_batch, timeout=1.0)
                failures = 0
            except (TimeoutError, NatsTimeout):
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                log.warning("fetch failed, rebinding", extra={"consumer": consumer,
                                                              "error": repr(exc)})
                if psub is not None:
                    await self._unbind(psub)
                    psub = None
                await asyncio.sleep(min(2.0, 0.1 * failures))
                continue
            self._busy.add(task)
            try:
                for msg in msgs:
                    try:
                        await self._deliver(consumer, msg, handler)
                    except Exception:  # an ack or nak that failed: it is redelivered later
                        log.exception("delivery failed", extra={"consumer": consumer})
            finally:
                self._busy.discard(task)

    async def _deliver(self, consumer: str, msg: Msg, handler: Handler) -> None:
        headers = {str(k): str(v) for k, v in (msg.headers or {}).items()}
        delivery = Delivery(subject=msg.subject, data=msg.data, headers=headers,
                            num_delivered=msg.metadata.num_delivered,
                            msg_id=headers.get("Nats-Msg-Id"))
        parent = propagate.extract(headers)
        with self._tracer.start_as_current_span(
                f"{msg.subject} process", context=parent, kind=SpanKind.CONSUMER,
                attributes={**_span_attrs(msg.subject, delivery.msg_id),
                            "messaging.consumer.group.name": consumer,
                            "messaging.message.delivery_count": delivery.num_delivered}) as span:
            if delivery.num_delivered > self.max_deliver:
                await self._dead_letter(consumer, msg, delivery, "delivery limit reached")
                return
            await msg.in_progress()  # the batch's ack_wait restarts for this message
            try:
                await handler(delivery)
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, repr(exc)))
                await self._settle_failure(consumer, msg, delivery, exc)
                return
            await msg.ack()

    async def _settle_failure(self, consumer: str, msg: Msg, delivery: Delivery,
                              exc: Exception) -> None:
        """Poison → DLQ now. Transient (an outage) → retry, however often. Anything else →
        retry with backoff until max_deliver, then DLQ. Never ack on error."""
        if isinstance(exc, Poison):
            await self._dead_letter(consumer, msg, delivery, f"poison: {exc}")
        elif isinstance(exc, Transient) or delivery.num_delivered < self.max_deliver:
            log.warning("handler failed, will retry", exc_info=exc,
                        extra={"consumer": consumer, "msg_id": delivery.msg_id})
            await msg.nak(delay=retry_delay(delivery.num_delivered))
        else:
            await self._dead_letter(consumer, msg, delivery, repr(exc))

    async def _dead_letter(self, consumer: str, msg: Msg, delivery: Delivery, error: str) -> None:
        """Keep the message with its error in the DLQ stream, then `term` it; never lose it."""
        headers = dlq.dead_letter_headers(delivery.headers, consumer=consumer,
                                          subject=delivery.subject, error=error,
                                          deliveries=delivery.num_delivered)
        # One DLQ copy per consumer and stream message, even if `term` fails and it comes back.
        headers["Nats-Msg-Id"] = f"{consumer}:{msg.metadata.sequence.stream}"
        try:
            await self._js().publish(f"{self._dlq_prefix}.{consumer}", delivery.data,
                                     headers=headers, timeout=5)
        except Exception as exc:  # the DLQ is unreachable: leave the message to redeliver
            log.error("dead-lettering failed", extra={"consumer": consumer, "error": repr(exc)})
            await msg.nak(delay=retry_delay(delivery.num_delivered))
            return
        log.error("message dead-lettered", extra={"consumer": consumer, "error": error,
                                                  "msg_id": delivery.msg_id})
        await msg.term()

    # -- history ----------------------------------------------------------------------------

    async def history(self, subjects: Sequence[str]) -> AsyncIterator[Delivery]:
        """Read the stream from its first message through an ephemeral consumer with no acks;
        stop at the newest message stored when the reading began."""
        js = self._js()
        last = (await js.stream_info(self.stream)).state.last_seq
        if not last:
            return
        psub = await js.pull_subscribe(
            subjects[0] if len(subjects) == 1 else ">", stream=self.stream,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE,
                                  filter_subjects=None if len(subjects) == 1 else list(subjects),
                                  inactive_threshold=60.0))
        try:
            if not (await psub.consumer_info()).num_pending:
                return  # nothing stored on these subjects: no fetch to wait out
            while True:
                try:
                    msgs = await psub.fetch(self.fetch_batch * 4, timeout=2.0)
                except (TimeoutError, NatsTimeout):
                    return  # nothing more up to `last` (messages deleted by limits)
                for msg in msgs:
                    sequence = msg.metadata.sequence.stream
                    if sequence > last:
                        return  # stored after the reading began (the newest was not ours)
                    headers = {str(k): str(v) for k, v in (msg.headers or {}).items()}
                    yield Delivery(subject=msg.subject, data=msg.data, headers=headers,
                                   msg_id=headers.get("Nats-Msg-Id"), sequence=sequence)
                    if sequence >= last or not msg.metadata.num_pending:
                        return
        finally:
            with contextlib.suppress(Exception):
                await psub.unsubscribe()

    # -- dead letters -----------------------------------------------------------------------

    async def dead_letters(self) -> list[DeadLetter]:
        return await dlq.list_letters(self._js(), self.dlq_stream)

    async def replay(self, sequence: int) -> DeadLetter:
        return await dlq.replay(self._js(), self.dlq_stream, sequence)


def _span_attrs(subject: str, msg_id: str | None) -> dict[str, str]:
    attrs = {"messaging.system": "nats", "messaging.destination.name": subject}
    if msg_id:
        attrs["messaging.message.id"] = msg_id
    return attrs
