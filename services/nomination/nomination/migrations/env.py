from exemplar.migrations import run
from nomination.main import Base  # every feature's tables, registered by main

run(Base.metadata)
