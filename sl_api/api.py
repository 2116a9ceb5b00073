"""Endpoints for in-world Second Life panels, mounted by tdc/api.py at /api/v1/sl/."""

from ninja import Router

router = Router(tags=["second life"])
