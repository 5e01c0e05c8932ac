"""HTTP routes of social (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["social"])
