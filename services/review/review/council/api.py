"""HTTP routes of council (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["council"])
