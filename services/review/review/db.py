"""The review service's table registry: every feature declares its tables on `Base`."""

from sqlalchemy.orm import DeclarativeBase

from exemplar.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()
