"""Reminders: planned with the change that causes them, sent exactly once.

Planning
--------
``plan_reminders(event, recipients)`` works on any object with ``pk``, ``starts_at``,
``title`` and ``campaign_id`` (an action today, a bargaining session later): it writes one
``Reminder`` row per recipient and offset. Callers run it inside the transaction that creates
or changes the event, so a reminder exists if and only if the change was committed. Each row
has a unique ``key`` (event, start time, offset, recipient), so planning twice is harmless, and
rescheduling (``replan_reminders``) drops the pending rows and plans under the new start time
while the reminders already sent stay sent.

Sending: claim, hand off, mark
------------------------------
A row moves ``pending → sending → sent``, or back to ``pending`` after a failure (with
exponential back-off), or to ``failed`` after the last attempt, or to ``cancelled``.

1. **Claim.** One short transaction selects due rows with ``SELECT … FOR UPDATE SKIP LOCKED``
   and sets ``status=sending``, a random ``claim_token`` and a lease (``lease_until``). Two
   workers never claim the same row: the second skips rows the first has locked and, once the
   first commits, the rows no longer match. (SQLite has no row locks; its write transactions
   are serialised, which gives the same result.) The broker carries no reminder ids at all: a
   task only says "look for due work", so a lost, repeated or retried task message changes
   nothing.
2. **Hand off.** Before giving a chunk of messages to the mail backend, the worker stamps
   ``handoff_at`` on the rows it still owns (same claim token), in its own transaction.
3. **Mark.** After the backend accepted a message, the row becomes ``sent`` — only if the claim
   token is still ours.

A worker killed at any point leaves each of its rows in one of these states:

- still ``pending`` (killed before the claim committed): sent by the next run;
- ``sending`` with no ``handoff_at`` (killed before handing off): provably not sent; when the
  lease runs out another worker reclaims it and sends it;
- ``sending`` with ``handoff_at`` (killed during the hand-off, a window of one chunk): the
  outcome is unknown, so the reclaiming worker asks the mail backend whether a message with
  that reminder's fixed Message-ID went out (``was_delivered``). Backends that keep a record
  (the sent log used in tests and benchmarks, Django's locmem) answer, and the row is marked
  sent or sent now. Backends that cannot tell (SMTP) get the row marked ``failed`` with an
  explanation, for a leader to look at: we prefer a visible "maybe" to a second message.
- ``sent``.

So nothing is sent twice, and nothing is silently lost. This rests on one assumption: a
worker hands a chunk over well within its lease (five minutes by default, renewed at each
hand-off; a chunk is 50 messages, or the whole batch when the backend can say what went out),
so a lease only runs out on a worker that stopped. The
Message-ID is the same on every attempt, which also lets a receiving server drop a duplicate.
"""

from .composing import (
    TEMPLATES,
    UNSUBSCRIBE_SALT,
    Batch,
    build_message,
    event_of,
    read_unsubscribe_token,
    unsubscribe_token,
    unsubscribe_url,
)
from .planning import (
    RSVP_CANCEL_SALT,
    Recipient,
    action_recipients,
    cancel_event_reminders,
    cancel_reminders,
    event_label,
    notify_moved,
    people_coming,
    plan_action,
    plan_for_rsvp,
    plan_reminders,
    read_rsvp_cancel_token,
    replan_action,
    replan_reminders,
    rsvp_cancel_token,
    rsvp_cancel_url,
    send_soon,
)
from .sending import (
    BACKOFF_BASE,
    HANDOFF_CHUNK,
    MAX_ATTEMPTS,
    batch_size,
    claim,
    lease,
    send_claimed,
    send_due,
    was_delivered,
)

__all__ = [
    "BACKOFF_BASE",
    "HANDOFF_CHUNK",
    "MAX_ATTEMPTS",
    "RSVP_CANCEL_SALT",
    "TEMPLATES",
    "UNSUBSCRIBE_SALT",
    "Batch",
    "Recipient",
    "action_recipients",
    "batch_size",
    "build_message",
    "cancel_event_reminders",
    "cancel_reminders",
    "claim",
    "event_label",
    "event_of",
    "lease",
    "notify_moved",
    "people_coming",
    "plan_action",
    "plan_for_rsvp",
    "plan_reminders",
    "read_rsvp_cancel_token",
    "read_unsubscribe_token",
    "replan_action",
    "replan_reminders",
    "rsvp_cancel_token",
    "rsvp_cancel_url",
    "send_claimed",
    "send_due",
    "send_soon",
    "unsubscribe_token",
    "unsubscribe_url",
    "was_delivered",
]
