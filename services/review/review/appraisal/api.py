"""HTTP routes of appraisal (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["appraisal"])
