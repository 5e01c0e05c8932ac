from exemplar.migrations import run
from nomination.store import Base

run(Base.metadata)
