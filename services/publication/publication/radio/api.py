"""HTTP routes of radio (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["radio"])
