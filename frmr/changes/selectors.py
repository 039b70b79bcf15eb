"""Reading the change log as a feed: in a fixed order, past a cursor, never skipping a late commit.

Positions come from a sequence, so they are handed out when a row is inserted, not when its
transaction commits: a transaction that inserted position 7 may commit after the one that inserted
position 8. A reader that had been given 8 and then asked for "after 8" would never see 7.

So the feed is not read in position order. Every row carries its transaction's id (`xid`, PostgreSQL's
64-bit `pg_current_xact_id()`, which only grows), and the feed is ordered by `(xid, position)` and shows
only rows whose transaction is older than the oldest transaction still running when the read starts
(`pg_snapshot_xmin(pg_current_snapshot())`). Every such transaction has ended, so the set of rows below
that line never changes again; every transaction still running or yet to come has an id at or above it,
so its rows sort after everything already shown. A cursor taken from a page therefore never skips a row
and never repeats one; a row waits only as long as the oldest running transaction (of any kind) runs.

On SQLite writers are serialized and the id is always 0: the order is the position's.

The cursor a client holds is the position of the last row it received; the row's `(xid, position)` is
looked up from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from frmr.changes.models import ChangeEvent

MAX_LIMIT = 1000


class UnknownPosition(LookupError):
    """The cursor names no row of this feed: it was not taken from it."""


@dataclass(frozen=True)
class FeedPage:
    events: list[ChangeEvent]
    # What to pass as `after` next time: the last row's position, or the same cursor on an empty page.
    after: int


def _feed(organization_id: int | None) -> Q:
    # A feed is one organization's rows, or the register-wide rows (organization empty).
    return Q(organization_id=organization_id) if organization_id is not None else Q(organization_id=None)


def change_feed(*, organization_id: int | None, after: int, limit: int) -> FeedPage:
    """Up to `limit` rows of the feed after the row at position `after` (0: from the start).

    Two queries: the cursor's row, and the page (docs/sync.md). Raises UnknownPosition for a cursor
    that is not a row of this feed.
    """
    feed = ChangeEvent.objects.filter(_feed(organization_id))
    if after:
        found = feed.filter(position=after).values_list("xid", flat=True).first()
        if found is None:
            raise UnknownPosition(after)
        xid = found
    else:
        xid = -1
    rows = feed.filter(Q(xid__gt=xid) | Q(xid=xid, position__gt=after))
    if connection.vendor == "postgresql":
        rows = rows.filter(xid__lt=RawSQL("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", ()))
    events = list(rows.order_by("xid", "position")[: min(limit, MAX_LIMIT)])
    return FeedPage(events=events, after=events[-1].position if events else after)


def change_log_settled() -> bool:
    """Whether every event written so far is past the line the feed publishes up to (always on SQLite).

    A transaction of any database on the same PostgreSQL server holds the line back while it runs
    (transaction ids are the server's), so a feed may lag behind a long writer elsewhere; tests that
    share a server with others wait for this before reading.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX(xid), -1) < pg_snapshot_xmin(pg_current_snapshot())::text::bigint "  # noqa: S608
            f"FROM {connection.ops.quote_name(ChangeEvent._meta.db_table)}"
        )
        row = cursor.fetchone()
    return bool(row and row[0])
