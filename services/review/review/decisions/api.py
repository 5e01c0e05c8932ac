"""HTTP routes of decisions (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["decisions"])
