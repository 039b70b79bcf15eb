"""Importing employees from a file: check every row, then write the good ones in bulk.

Rule (docs/import.md): all-or-nothing per ROW. A row with any error is skipped as a whole and
reported; every good row is applied. A dry run does everything except writing.

Speed: rows are read in chunks of `CHUNK_SIZE`; for each chunk the persons with its СНИЛС, their cards
in this organization, passports and diplomas are loaded in one query each; new OIDs come from one
block allocation; persons, sections, cards and one audit entry per created or changed object are
written with COPY (frmr/imports/writer.py; bulk_create elsewhere) and bulk_update inside one
transaction per chunk (frmr/imports/apply.py). If the database refuses a chunk (another user saved
the same СНИЛС meanwhile), the chunk is redone row by row so that only the offending rows fail.

For a large file, a forked worker process reads and checks the rows and prepares those whose person is
new while this process writes the previous chunk (frmr/imports/pipeline.py, frmr/imports/fresh.py);
the result is the same as checking everything here, which small files still do.

This package: the run and the chunks here; what one checked row does, `planning.py`; the outcomes and
the result reported, `outcome.py`.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from frmr.accounts.permissions import ensure_acts_for
from frmr.audit.actors import ActorLike
from frmr.audit.services import AuditHead, audit_head
from frmr.imports.apply import Writes, write
from frmr.imports.columns import BY_KEY
from frmr.imports.engine.outcome import (
    ACTION_IDENTITY_SKIPPED,
    CREATE,
    ERROR,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    ImportResult,
    RowOutcome,
)
from frmr.imports.engine.planned import PlannedIdentities
from frmr.imports.engine.planning import plan_row
from frmr.imports.fresh import Fresh, FreshWrite
from frmr.imports.pipeline import CheckedChunks, Item, fork_available
from frmr.imports.pipeline import chunks as plain_chunks
from frmr.imports.readers import open_rows
from frmr.imports.rows import Lookups, ParsedRow, RowError, check_row
from frmr.imports.writer import copy_available
from frmr.registry import models as m
from frmr.registry import rules
from frmr.registry.services.hires import workers_notify_hired
from frmr.taskqueue.recovery import connection_lost

__all__ = [
    "ACTION_IDENTITY_SKIPPED",
    "CHUNK_SIZE",
    "CREATE",
    "ERROR",
    "SKIPPED",
    "UNCHANGED",
    "UPDATE",
    "Context",
    "ImportResult",
    "RowOutcome",
    "run_import",
]

CHUNK_SIZE = 1000
GC_THRESHOLD = 100_000  # allocations between collections of the youngest generation (default 700)
PIPELINE_MIN_BYTES = 256 * 1024  # about 600 rows of CSV: below, the rows are checked in this process


@dataclass
class Context:
    organization: m.Organization
    actor: ActorLike
    label: str
    dry_run: bool
    lookups: Lookups
    result: ImportResult
    head: AuditHead
    prepared_lines: bool = False  # whether rows prepared by the worker come with lines to write
    # Dry run: СНИЛС → the identity fields of the persons the file creates, as they would be stored.
    planned_new: PlannedIdentities = field(default_factory=PlannedIdentities)
    # Dry run: СНИЛС → the identity fields of known persons as earlier chunks would leave them, so that
    # a later row's change of identity is shown (and keyed) as the application will meet it.
    planned_identity: PlannedIdentities = field(default_factory=PlannedIdentities)
    identity_confirmed: Container[str] = frozenset()
    # One import run is one batch of changes for the workers' notices (frmr/notifications/file_changes.py).
    batch: str = field(default_factory=lambda: uuid.uuid4().hex)


def run_import(
    *,
    organization: m.Organization,
    actor: ActorLike,
    path: Path,
    name: str,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    pipeline: bool | None = None,
    identity_confirmed: Container[str] = frozenset(),
) -> ImportResult:
    """Check (and unless `dry_run`, apply) the file; the result lists every row's outcome and error.

    `pipeline`: read and check the rows in a worker process (frmr/imports/pipeline.py) while this
    one writes; by default for files of `PIPELINE_MIN_BYTES` and more, where forking pays off.
    `identity_confirmed`: the `identity_key`s (from the dry run's result) of the rows whose change of
    a person's ФИО or birth date the operator confirmed; any other such row is skipped (SKIPPED).
    """
    ensure_acts_for(actor=actor, organization=organization)
    result = ImportResult(dry_run=dry_run)
    try:
        info, rows = open_rows(path, name=name)
    except ValidationError as error:
        result.file_errors.extend(error.messages)
        return result
    missing = info.missing_required()
    if missing:
        result.file_errors.append(
            _("В первой строке файла нет столбца «СНИЛС». Первая строка — заголовки столбцов, как в шаблоне.")
        )
        return result
    if info.unknown_headers:
        headers = ", ".join(f"«{h}»" for h in info.unknown_headers)
        result.file_errors.append(
            _("Столбцы, которых нет в шаблоне, пропущены: %(headers)s.") % {"headers": headers}
        )
    label = _("Импорт файла %(name)s") % {"name": name}
    context = Context(
        organization=organization,
        actor=actor,
        label=label,
        dry_run=dry_run,
        lookups=Lookups(organization),
        result=result,
        head=audit_head(actor=actor, organization=organization, reason=label),
        prepared_lines=not dry_run and copy_available(),
        identity_confirmed=identity_confirmed,
    )
    if pipeline is None:
        pipeline = path.stat().st_size >= PIPELINE_MIN_BYTES
    with contextlib.ExitStack() as stack:
        stack.enter_context(_collector_relaxed())
        if pipeline and fork_available():
            # The worker iterates `rows`; this process keeps its copy untouched until the worker is gone.
            head = context.head if context.prepared_lines else None
            chunks: Iterable[list[Item]] = stack.enter_context(
                CheckedChunks(rows, context.lookups, chunk_size, head)
            )
        else:
            chunks = plain_chunks(rows, chunk_size)
        done = 0
        try:
            for chunk in chunks:
                for outcome in _process_chunk(chunk, context):
                    result.add(outcome)
                done += len(chunk)
                if progress is not None:
                    progress(done)
        except ValidationError as error:
            result.file_errors.extend(error.messages)
    if not result.total and not result.file_errors:
        result.file_errors.append(
            _("В файле нет строк с сотрудниками: заполните лист «Сотрудники» под строкой заголовков.")
        )
    return result


@contextlib.contextmanager
def _collector_relaxed() -> Iterator[None]:
    """Run the cyclic garbage collector rarely during the import (and in the worker forked in it).

    A chunk allocates and frees hundreds of thousands of objects, none in reference cycles; at the
    default threshold the collector ran about 3,000 times for 50,000 rows, 1.1 s of the import's CPU.
    Collections still happen (the threshold is higher, not infinite); the previous one is restored.
    """
    previous = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _process_chunk(chunk: list[Item], context: Context) -> list[RowOutcome]:
    if context.dry_run:
        return _plan(chunk, context)[0]
    try:
        with transaction.atomic():
            _relax_commit()
            outcomes, writes = _plan(chunk, context)
            write(writes, context.head, batch=context.batch)
            # The same rule as card_hire's. A row prepared by the worker process (FreshWrite) creates its
            # person, and a person new to the register has no account to tell.
            workers_notify_hired(
                organization=context.organization,
                cards=[card for card in writes.cards_new if isinstance(card, m.EmploymentCard)],
            )
            writes.count(context.result.objects)
            return outcomes
    except DatabaseError as error:
        if connection_lost(error):
            # Not this row's fault: the worker runs the task again once it has reconnected, and the file
            # is applied again from its first row, which finds the chunks already written (docs/tasks.md).
            raise
        if len(chunk) == 1:
            number, raw = chunk[0][:2]
            return [
                RowOutcome(
                    row=number,
                    snils=raw.get("snils", ""),
                    name="",
                    status=ERROR,
                    errors=[
                        RowError(
                            number,
                            BY_KEY["snils"].header,
                            raw.get("snils", ""),
                            _(
                                "База данных не приняла строку: возможно, этого работника одновременно "
                                "внёс кто-то другой. Загрузите строку ещё раз."
                            ),
                        )
                    ],
                )
            ]
        return [outcome for row in chunk for outcome in _process_chunk([row], context)]


def _relax_commit() -> None:
    """Let PostgreSQL acknowledge this chunk's COMMIT before its WAL reaches the disk.

    A crash of the server may lose the last chunks committed this way (never half a chunk: the
    database stays consistent), and loading the file again creates only what is missing. Only this
    transaction is affected (SET LOCAL); it saves one disk flush per chunk.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _plan(chunk: list[Item], context: Context) -> tuple[list[RowOutcome], Writes]:
    """Decide what each row does; nothing is written here.

    A row checked beforehand by the worker process (as for a new person) is checked again here when
    its СНИЛС belongs to a person (their recorded values change what is required) or recurs in the
    chunk (an earlier row creates the person); otherwise the worker's result stands.
    """
    organization = context.organization
    occurrences = Counter(key for _, _, key, _ in chunk if key)
    keys = set(occurrences)
    persons = {p.snils: p for p in m.Person.objects.filter(snils__in=keys)}
    for snils in keys:
        if snils in persons and snils in context.planned_identity:
            for key, value in context.planned_identity[snils].items():
                setattr(persons[snils], key, value)
    by_id = {p.pk: p for p in persons.values()}
    cards: dict[str, list[m.EmploymentCard]] = {}
    for card in m.EmploymentCard.objects.filter(organization=organization, person_id__in=by_id):
        cards.setdefault(by_id[card.person_id].snils, []).append(card)
    passports = {
        (by_id[person_id].snils, series, number)
        for person_id, series, number in m.IdentityDocument.objects.filter(
            person_id__in=by_id, document_type=context.lookups.passport_type
        ).values_list("person_id", "series", "number")
    }
    diplomas = {
        (by_id[person_id].snils, number)
        for person_id, number in m.ProfessionalEducation.objects.filter(person_id__in=by_id).values_list(
            "person_id", "doc_number"
        )
    }
    # The register's visibility rule, applied to the cards loaded above (this organization's only).
    visible = {
        p.snils
        for p in persons.values()
        if rules.person_visible_to(
            organization_id=organization.pk,
            created_by_organization_id=p.created_by_organization_id,
            card_organization_ids=(card.organization_id for card in cards.get(p.snils, ())),
        )
    }
    writes = Writes()
    outcomes = []
    for number, raw, snils, prepared in chunk:
        person = persons.get(snils)
        if person is None and snils in context.planned_new:
            person = m.Person(snils=snils, **context.planned_new[snils])
            visible.add(snils)
        checked: ParsedRow | Fresh | list[RowError] | None = prepared
        if isinstance(checked, Fresh) and (
            occurrences[snils] > 1 or (checked.lines is None and not context.dry_run)
        ):
            checked = None  # planned here: an earlier row may create the person, or no lines to write
        if checked is None or person is not None:
            checked = check_row(number, raw, context.lookups, existing=person)
        if isinstance(checked, Fresh):
            outcomes.append(_plan_fresh(number, checked, writes, context))
            continue
        if isinstance(checked, list):
            outcomes.append(
                RowOutcome(
                    row=number, snils=raw.get("snils", ""), name=_raw_name(raw), status=ERROR, errors=checked
                )
            )
            continue
        outcome = plan_row(checked, person, persons, cards, passports, diplomas, visible, writes, context)
        outcomes.append(outcome)
    return outcomes, writes


def _raw_name(raw: dict[str, str]) -> str:
    return " ".join(
        raw.get(k, "").strip() for k in ("last_name", "first_name", "patronymic") if raw.get(k, "").strip()
    )


def _plan_fresh(number: int, fresh: Fresh, writes: Writes, context: Context) -> RowOutcome:
    """What `planning.plan_row` does for a row that creates its person, from the worker's result."""
    if fresh.lines is not None:
        writes.add_fresh(FreshWrite(fresh.lines))
    if context.dry_run:
        context.planned_new[fresh.snils] = dict(fresh.identity)
    return RowOutcome(
        row=number, snils=fresh.snils, name=fresh.name, status=CREATE, actions=list(fresh.actions)
    )
