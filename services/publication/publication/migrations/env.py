from exemplar.migrations import run
from publication.main import Base  # every feature's tables, registered by main

run(Base.metadata)
