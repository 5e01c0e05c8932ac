from exemplar.migrations import run
from review.main import Base

run(Base.metadata)
