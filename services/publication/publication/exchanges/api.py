"""HTTP routes of exchanges (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["exchanges"])
