"""Every kind of outbox row takes its columns and claim indexes from config/outbox.py, and the
database has those indexes under the names the models give them."""

import hashlib

import pytest
from django.db import connection
from django.db.models import Q

from accounts.models import InvitationEmail
from actions.models import Reminder
from api.models import Delivery as WebhookDelivery
from broadcasts.models import Delivery
from config.outbox import MailOutboxRow, OutboxRow

MAIL_ROWS = [Reminder, Delivery, InvitationEmail]
ROWS = [*MAIL_ROWS, WebhookDelivery]


def indexes_in_database(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: spec for name, spec in found.items() if spec["index"]}


@pytest.mark.parametrize("model", ROWS, ids=lambda m: m._meta.label)
def test_outbox_rows_share_the_loops_columns(model):
    assert issubclass(model, OutboxRow)
    for name in ["status", "attempts", "lease_until", "claim_token", "last_error", "created_at"]:
        assert model._meta.get_field(name)


@pytest.mark.parametrize("model", MAIL_ROWS, ids=lambda m: m._meta.label)
def test_emails_share_the_hand_off_columns_and_due_index(model):
    assert issubclass(model, MailOutboxRow)
    table = model._meta.db_table
    assert {"next_attempt_at", "handoff_at", "sent_at"} <= {f.name for f in model._meta.fields}
    declared = {index.name for index in model._meta.indexes}
    assert {f"{table}_due", f"{table}_lease"} <= declared


def declared_index(model, suffix: str):
    return next(i for i in model._meta.indexes if i.name == f"{model._meta.db_table}_{suffix}")


@pytest.mark.parametrize("model", ROWS, ids=lambda m: m._meta.label)
def test_a_workers_claim_is_found_by_its_token_among_the_rows_being_sent(model):
    # The batch is read, stamped and marked by token; through the lease index each lookup
    # read every row that had ever been "sending" since the last vacuum.
    claim = declared_index(model, "claim")
    assert claim.fields == ["claim_token"]
    assert claim.condition is None


@pytest.mark.parametrize("model", MAIL_ROWS, ids=lambda m: m._meta.label)
def test_the_due_index_is_in_the_claims_order(model):
    # Rows due at the same minute (one event's reminders) are claimed in id order; an index
    # without the id made every claim sort all pending rows.
    due = declared_index(model, "due")
    assert due.fields == ["next_attempt_at", "id"]
    assert due.condition == Q(status="pending")


@pytest.mark.django_db
@pytest.mark.parametrize("model", ROWS, ids=lambda m: m._meta.label)
def test_the_database_has_the_claim_indexes_under_their_new_names(model):
    found = indexes_in_database(model)
    for index in model._meta.indexes:
        assert index.name in found, index.name
        columns = [model._meta.get_field(name).column for name in index.fields]
        assert found[index.name]["columns"] == columns
    lease = f"{model._meta.db_table}_lease"
    assert found[lease]["columns"] == ["lease_until"]
    # The old names went with the rename; none is left over beside the new one.
    old = {"reminder_sending_lease", "delivery_sending_lease", "invitation_email_lease"}
    assert not old & set(found)


def test_message_ids_keep_the_form_rows_already_sent_have():
    # A worker taking over an interrupted send asks the backend by Message-ID, so the form
    # must not change under rows that were handed off before the change.
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    key = "rsvp:1:reminder:60"
    assert Reminder(pk=7, key=key).message_id == f"<reminder-7-{digest(key)}@commongood>"
    assert Delivery(pk=5, key=key).message_id == f"<broadcast-5-{digest(key)}@commongood>"
    email = InvitationEmail(pk=3, invitation_id=9)
    assert email.message_id == f"<invitation-3-{digest('invitation:9')}@commongood>"
