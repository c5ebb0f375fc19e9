"""The coalition decides together: decisions the partner organisations are asked for, the
campaign's rule for adopting a demand, and the amendments partners propose."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.versioning import Versioned

from .demand import Demand


class CoalitionError(ValidationError):
    """A decision or amendment step the workflow refuses, with a message for the person."""


class DecisionRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionRequestQuerySet:
        """The local's leaders and stewards (who read every demand of their local) see every
        request; a partner person sees only the requests put to their own organisation."""
        roles = roles_for(user)
        visible = models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
        if roles.organisation_ids:
            # A subquery, not a join: no request repeated per organisation, so no DISTINCT.
            asked = self.model.organisations.through.objects.filter(
                organisation_id__in=roles.organisation_ids
            )
            visible |= models.Q(pk__in=asked.values("decisionrequest_id"))
        return self.filter(visible)


class DecisionRequest(models.Model):
    """A leader asks the organisations that share a demand to decide on it by a deadline.

    Reminders treat it as an event that "starts" at its deadline (``starts_at``), so the
    exactly-once reminders remind the organisations that have not answered yet."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="decision_requests")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    organisations = models.ManyToManyField(
        "partners.Organisation",
        related_name="decision_requests",
        verbose_name=_("organisations asked"),
    )
    question = models.TextField(_("what the organisations are asked"), blank=True)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("why"), blank=True)

    objects = DecisionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision request")
        verbose_name_plural = _("decision requests")
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:decision", args=[self.pk])

    # What the reminders read ------------------------------------------------------------

    @property
    def title(self) -> str:
        return gettext("Decision on “%(demand)s”") % {"demand": self.demand.title}

    @property
    def starts_at(self):
        return self.deadline

    @property
    def description(self) -> str:
        return gettext(
            "Your organisation is asked to agree, agree with concerns, abstain or object, "
            "with a reason, before this deadline. Answer here: %(url)s"
        ) % {"url": settings.SITE_URL + self.get_absolute_url()}

    @property
    def is_cancelled(self) -> bool:
        """No more reminders once the request is closed or cancelled."""
        return self.status != self.Status.OPEN

    @cached_property
    def waiting_user_ids(self) -> frozenset[int]:
        """The partner accounts of the organisations asked that have not answered: read once
        per sending batch, since the batch keeps this object."""
        from accounts.models import Membership, Role

        answered = self.answers.values("organisation_id")
        return frozenset(
            Membership.objects.filter(
                role=Role.PARTNER, organisation__in=self.organisations.all(), user__is_active=True
            )
            .exclude(organisation__in=answered)
            .values_list("user_id", flat=True)
        )

    def still_reminds(self, user_id: int | None) -> bool:
        return user_id in self.waiting_user_ids

    # State -----------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline > timezone.now()

    @property
    def status_label(self) -> str:
        if self.status == self.Status.OPEN and not self.is_open:
            return str(_("Deadline passed"))
        return str(self.Status(self.status).label)

    @classmethod
    def ask(cls, demand: Demand, *, organisations, deadline, by, question: str = ""):
        """Put the demand to the organisations that share it, one open request at a time."""
        allowed = demand.deciding_organisation_ids()
        organisations = list(organisations)
        if not organisations:
            raise CoalitionError(_("Choose at least one organisation to ask."))
        if any(o.pk not in allowed for o in organisations):
            raise CoalitionError(_("Only organisations that share the demand can be asked."))
        if deadline <= timezone.now():
            raise CoalitionError(_("The deadline must be in the future."))
        with transaction.atomic():
            Demand.objects.select_for_update().filter(pk=demand.pk).first()
            if cls.objects.filter(demand=demand, status=cls.Status.OPEN).exists():
                raise CoalitionError(
                    _("This demand already has an open request: close or cancel it first.")
                )
            request = cls.objects.create(
                demand=demand,
                campaign_id=demand.campaign_id,
                question=question,
                deadline=deadline,
                asked_by=by,
            )
            request.organisations.set(organisations)
        return request

    def answerable_organisations(self, user) -> list:
        """The organisations asked that this person answers for: their own."""
        if not self.is_open:
            return []
        mine = roles_for(user).organisation_ids
        return [o for o in self.organisations.all() if o.pk in mine]

    def answer(self, *, organisation, choice: str, reason: str, by) -> DecisionAnswer:
        """One answer per organisation, given by any of its people; a later answer replaces
        it until the deadline."""
        if organisation not in self.answerable_organisations(by):
            raise CoalitionError(_("Your organisation cannot answer this request now."))
        if choice not in DecisionAnswer.Choice.values:
            raise CoalitionError(_("Choose an answer."))
        if not reason.strip():
            raise CoalitionError(_("Give the reason for your organisation’s answer."))
        with transaction.atomic():
            locked = DecisionRequest.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.OPEN or locked.deadline <= timezone.now():
                raise CoalitionError(_("The request is no longer open."))
            answer, created = DecisionAnswer.objects.select_for_update().get_or_create(
                request=self,
                organisation=organisation,
                defaults={"choice": choice, "reason": reason, "by": by},
            )
            if not created:
                answer.choice, answer.reason, answer.by = choice, reason, by
                answer.at = timezone.now()
                answer.changes = models.F("changes") + 1
                answer.save(update_fields=["choice", "reason", "by", "at", "changes"])
                answer.refresh_from_db()
        return answer

    def _end(self, status: str, *, by, why: str) -> None:
        with transaction.atomic():
            updated = DecisionRequest.objects.filter(pk=self.pk, status=self.Status.OPEN).update(
                status=status, ended_by=by, ended_at=timezone.now(), end_reason=why
            )
            if not updated:
                raise CoalitionError(_("The request is already closed or cancelled."))
            self.refresh_from_db()

    def close(self, *, by, why: str = "") -> None:
        """End the request early (or after its deadline): the answers given stand."""
        self._end(self.Status.CLOSED, by=by, why=why)

    def cancel(self, *, by, why: str = "") -> None:
        """Withdraw the question: its answers no longer count for adoption."""
        self._end(self.Status.CANCELLED, by=by, why=why)

    def can_manage(self, user) -> bool:
        return roles_for(user).leads(self.campaign.local_id)

    # Counting ------------------------------------------------------------------------

    def tally(self) -> dict:
        """How the organisations asked answered, from the prefetched answers when there."""
        answers = list(self.answers.all())
        asked = len(self.organisations.all())
        counts = dict.fromkeys(DecisionAnswer.Choice.values, 0)
        for answer in answers:
            counts[answer.choice] += 1
        agreeing = counts["agree"] + counts["concerns"]
        return {
            "asked": asked,
            "answered": len(answers),
            "waiting": asked - len(answers),
            "agreeing": agreeing,
            "counts": counts,
        }


class DecisionAnswer(models.Model):
    """An organisation's answer to a decision request, with who gave it and when."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("Agree")
        CONCERNS = "concerns", _("Agree with concerns")
        ABSTAIN = "abstain", _("Abstain")
        OBJECT = "object", _("Object")

    request = models.ForeignKey(DecisionRequest, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="decision_answers"
    )
    choice = models.CharField(_("answer"), max_length=12, choices=Choice.choices)
    reason = models.TextField(_("reason"), max_length=5000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("answered"), default=timezone.now)
    changes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation"], name="one_answer_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.choice}"

    @property
    def choice_label(self) -> str:
        return str(self.Choice(self.choice).label)


class AdoptionRule(Versioned):
    """A campaign's rule for adopting a demand, beside the assessment rule. A campaign with
    no rule adopts as before; with one, the latest decision request must meet it. Two leaders
    may have its form open at once: saves go through ``create_or_edit`` with the version the
    form was opened at."""

    edited_by_field = "updated_by"

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="adoption_rule"
    )
    no_coauthor_objection = models.BooleanField(
        _("no objection from a co-authoring organisation"), default=True
    )
    min_agreeing_percent = models.PositiveSmallIntegerField(
        _("at least this share of the organisations asked agree (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("“Agree” and “agree with concerns” both count as agreeing."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("adoption rule")
        verbose_name_plural = _("adoption rules")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.min_agreeing_percent}%"

    def blockers(self, demand: Demand) -> list[str]:
        request = (
            demand.decision_requests.exclude(status=DecisionRequest.Status.CANCELLED)
            .prefetch_related("organisations", "answers__organisation")
            .first()
        )
        if request is None:
            return [
                gettext(
                    "The campaign’s adoption rule needs a decision of the partner "
                    "organisations: ask them first."
                )
            ]
        problems = []
        if self.no_coauthor_objection:
            coauthors = {o.pk for o in demand.coauthors.all()}
            objecting = [
                a.organisation.name
                for a in request.answers.all()
                if a.choice == DecisionAnswer.Choice.OBJECT and a.organisation_id in coauthors
            ]
            if objecting:
                problems.append(
                    gettext("A co-authoring organisation objects: %(orgs)s.")
                    % {"orgs": ", ".join(objecting)}
                )
        tally = request.tally()
        if tally["agreeing"] * 100 < self.min_agreeing_percent * tally["asked"]:
            problems.append(
                gettext(
                    "%(agreeing)s of the %(asked)s organisations asked agree; the campaign’s "
                    "rule needs at least %(percent)s%%."
                )
                % {
                    "agreeing": tally["agreeing"],
                    "asked": tally["asked"],
                    "percent": self.min_agreeing_percent,
                }
            )
        return problems
