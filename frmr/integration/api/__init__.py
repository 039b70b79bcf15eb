"""The FRMR-compatible integration API under /api/frmr/ (docs/api.md)."""

from frmr.integration.api.changes import router as changes_router
from frmr.integration.api.core import api
from frmr.integration.api.persons import router as persons_router
from frmr.integration.api.sections import router as sections_router

# Sections are registered first: `person/list` and `person/full` are plain paths, no converters collide.
api.add_router("", persons_router)
api.add_router("", sections_router)
api.add_router("", changes_router)

__all__ = ["api"]
