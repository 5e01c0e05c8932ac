"""HTTP routes of portal (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["portal"])
