from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from frmr.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's unread counter: one query, and only on pages that show it to a logged-in user."""
    result: dict[str, int] = {}

    def count() -> int:
        if "n" not in result:
            user = getattr(request, "user", None)
            result["n"] = unread_count(user=user) if user is not None and user.is_authenticated else 0
        return result["n"]

    counter: Callable[[], int] = count
    return {"unread_notifications_count": counter}
