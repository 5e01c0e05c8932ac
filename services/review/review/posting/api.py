"""HTTP routes of posting (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["posting"])
