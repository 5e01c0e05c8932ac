from exemplar.migrations import run
from reporting.store import Base

run(Base.metadata)
