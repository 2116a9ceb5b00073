"""The Patreon webhook router, mounted by tdc/api.py at /api/v1/patreon/."""

from ninja import Router

router = Router(tags=["patreon"])
