from exemplar.migrations import run
from reporting.main import Base  # every feature's tables, registered by main

run(Base.metadata)
