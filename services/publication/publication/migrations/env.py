from exemplar.migrations import run
from publication.store import Base

run(Base.metadata)
