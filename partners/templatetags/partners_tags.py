from django import template

from partners.models import Support

register = template.Library()


@register.simple_tag
def support_summary(campaign) -> dict[str, int]:
    """Counts of endorsements, letters and resolutions for a campaign's home page."""
    counts = Support.objects.filter(campaign=campaign).summary()
    counts["organisations"] = (
        Support.objects.filter(campaign=campaign).values("organisation").distinct().count()
    )
    return counts
