"""HTTP routes of critique (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["critique"])
