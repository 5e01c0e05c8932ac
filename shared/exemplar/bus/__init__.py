"""The event bus: NATS JetStream in every running service, an in-memory fake for unit tests."""

from .base import Bus, BusUnavailable, DeadLetter, Delivery, Handler
from .memory import InMemoryBus
from .nats import NatsBus

__all__ = ["Bus", "BusUnavailable", "DeadLetter", "Delivery", "Handler", "InMemoryBus", "NatsBus"]
