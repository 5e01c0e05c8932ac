"""The trace an aggregate keeps (a nomination its first submission's, a case its submission's,
a story its decision's), so that its later events, sent from requests of their own, continue
it: `uow.stage(event, ..., trace=aggregate.trace_headers)`.

Only `traceparent` is kept, checked and rewritten by the W3C propagator. `tracestate` and
`baggage` come from whichever client sent the first request; stored with the aggregate they
would be replayed into the events of everyone who acts on it later."""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.context import Context
from opentelemetry.trace import Span, set_span_in_context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT = "traceparent"
_W3C = TraceContextTextMapPropagator()


def current_trace() -> dict[str, str] | None:
    """The current context's trace, to store with an aggregate; None outside a trace."""
    return _traceparent(None)


def span_trace(span: Span) -> dict[str, str] | None:
    """The trace of `span` alone, as an event's headers carry it."""
    return _traceparent(set_span_in_context(span, Context()))


def delivered_trace(headers: Mapping[str, str]) -> dict[str, str] | None:
    """The trace a delivery was sent in, from its headers (the message id, `tracestate` and
    `baggage` left out); None without a valid `traceparent`."""
    return _traceparent(_W3C.extract(headers))


def _traceparent(context: Context | None) -> dict[str, str] | None:
    carrier: dict[str, str] = {}
    _W3C.inject(carrier, context=context)
    value = carrier.get(TRACEPARENT)
    return {TRACEPARENT: value} if value else None
