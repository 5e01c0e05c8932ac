from exemplar.migrations import run
from review.store import Base

run(Base.metadata)
