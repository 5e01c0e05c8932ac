"""HTTP routes of freshness (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["freshness"])
