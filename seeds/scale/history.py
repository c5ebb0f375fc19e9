"""The audit trail of the scale seed's rows, written in one statement per table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pghistory.trigger
import pgtrigger
from django.db import connection, models


def _audit_triggers() -> list[tuple[type[models.Model], pghistory.trigger.Event]]:
    return [
        (model, trigger)
        for model, trigger in pgtrigger.registered()
        if isinstance(trigger, pghistory.trigger.Event)
    ]


def _insert_events(model: type[models.Model], trigger: pghistory.trigger.Event, after: int):
    """The event the insert trigger would have written for each row with a key above
    ``after``: the same columns, no request context."""
    event, quote = trigger.event_model, connection.ops.quote_name
    tracked = {field.name for field in model._meta.fields}
    pk = quote(model._meta.pk.column)
    columns = {
        quote(field.column): quote(field.column)
        for field in event._meta.fields
        if field.concrete and not isinstance(field, models.AutoField) and field.name in tracked
    }
    columns.update({'"pgh_created_at"': "NOW()", '"pgh_label"': "%s", '"pgh_obj_id"': pk})
    # Every name here comes from the models' metadata, none from input.
    sql = (
        f"INSERT INTO {quote(event._meta.db_table)} ({', '.join(columns)})"  # noqa: S608
        f" SELECT {', '.join(columns.values())} FROM {quote(model._meta.db_table)}"
        f" WHERE {pk} > %s ORDER BY {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [trigger.label, after])


@contextmanager
def recorded_in_bulk() -> Iterator[None]:
    """Turn the audit triggers off while the seed runs, then record each seeded row once, as
    inserted in its final state.

    The triggers are row-level PL/pgSQL with exception blocks: about a millisecond a row, and
    more the longer the transaction, which made inserting 300,000 members most of the seed's
    time. One INSERT ... SELECT per table writes the same events in seconds. An earlier
    seed's rows that the seed deletes are not recorded. ALTER TABLE is transactional, so
    the triggers are off only inside the seed's transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    triggers = _audit_triggers()
    tracked = {model for model, _ in triggers}
    before = {
        model: model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0 for model in tracked
    }
    _switch(triggers, "DISABLE")
    yield
    for model, trigger in triggers:
        if str(trigger.operation) == "INSERT":
            _insert_events(model, trigger, before[model])
    # PostgreSQL alters no table with foreign keys still to check at commit: check them now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _switch(triggers, "ENABLE")


def _switch(triggers, action: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, trigger in triggers:
            table, name = quote(model._meta.db_table), quote(trigger.get_pgid(model))
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {name}")
