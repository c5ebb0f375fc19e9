from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.versioning import Versioned

# The toolkit's escalation tactics, from mild to bold: a campaign's ladder starts from these.
TOOLKIT_LADDER = [
    (_("Petition signatures"), _("Members and parents sign the petition.")),
    (_("Union buttons"), _("Everyone wears the campaign button at work.")),
    (_("Wear red on Thursdays"), _("Members wear red every Thursday.")),
    (_("Stickering"), _("Campaign stickers on cars, laptops and lunch boxes.")),
    (_("Profile-picture campaign"), _("Members change their profile pictures together.")),
    (_("Lawn signs"), _("Signs in front yards across the district.")),
    (_("Flyers to parents"), _("Flyering parents at pick-up and drop-off.")),
    (
        _("Rally before school and walk in together"),
        _("Members and parents rally outside, then walk in together."),
    ),
    (_("Red-out"), _("Every classroom and hallway in red.")),
    (_("Packed school-board meeting"), _("Members and partners fill the board room.")),
    (_("Open bargaining"), _("Members and community sit in on the bargaining sessions.")),
    (_("Informational picket"), _("Picket lines outside schools before or after hours.")),
    (_("Visiting corporate actors"), _("Delegations to the banks and bad actors.")),
    (_("Walking out of a meeting en masse"), _("Everyone leaves a district meeting together.")),
    (_("Strike"), _("Members withhold their labour.")),
]


class TacticQuerySet(models.QuerySet):
    def visible_to(self, user) -> TacticQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).local_ids)


class Tactic(Versioned):
    """One rung of a campaign's escalation ladder; ``position`` 1 is the mildest."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="tactics"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position on the ladder"))

    objects = TacticQuerySet.as_manager()

    class Meta:
        verbose_name = _("tactic")
        verbose_name_plural = _("tactics")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="unique_tactic_name")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def level(self) -> int:
        return self.position

    @classmethod
    def start_ladder(cls, campaign) -> list[Tactic]:
        """Give a campaign the toolkit's ladder unless it already has one."""
        existing = list(cls.objects.filter(campaign=campaign))
        if existing:
            return existing
        return cls.objects.bulk_create(
            cls(campaign=campaign, name=str(name), description=str(description), position=n)
            for n, (name, description) in enumerate(TOOLKIT_LADDER, start=1)
        )

    @classmethod
    def append(cls, campaign, name: str, description: str = "") -> Tactic:
        last = cls.objects.filter(campaign=campaign).aggregate(m=models.Max("position"))["m"]
        return cls.objects.create(
            campaign=campaign, name=name, description=description, position=(last or 0) + 1
        )

    def move(self, *, up: bool) -> bool:
        """Swap places with the neighbouring tactic; False at either end of the ladder."""
        # Imported here because the action module imports this one for its tactic field.
        from .action import Action

        siblings = Tactic.objects.filter(campaign_id=self.campaign_id)
        neighbour = (
            siblings.filter(position__lt=self.position).order_by("-position").first()
            if up
            else siblings.filter(position__gt=self.position).order_by("position").first()
        )
        if neighbour is None:
            return False
        with transaction.atomic():
            Action.objects.filter(campaign_id=self.campaign_id).freeze_past_levels()
            mine, theirs = self.position, neighbour.position
            Tactic.objects.filter(pk=neighbour.pk).update(position=mine)
            Tactic.objects.filter(pk=self.pk).update(position=theirs)
        self.position = theirs
        return True

    def remove(self) -> bool:
        """Take an unused tactic off the ladder and close the gap; False if actions use it.
        Past actions keep the level they had when they happened."""
        from .action import Action

        if self.actions.exists():
            return False
        with transaction.atomic():
            Action.objects.filter(campaign_id=self.campaign_id).freeze_past_levels()
            self.delete()
            for number, rung in enumerate(Tactic.objects.filter(campaign_id=self.campaign_id), 1):
                Tactic.objects.filter(pk=rung.pk).update(position=number)
        return True
