from django.contrib import admin

from .models import (
    CampaignEvent,
    ContractArticle,
    Proposal,
    ProposalVersion,
    PublicPage,
    PublishedReport,
    Session,
    TentativeAgreement,
)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "starts_at", "status", "format", "published_at"]
    list_filter = ["status", "format"]


class VersionInline(admin.TabularInline):
    model = ProposalVersion
    extra = 0
    fields = ["side", "passed_on", "status", "session"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign"]
    inlines = [VersionInline]


admin.site.register(ContractArticle)
admin.site.register(TentativeAgreement)
admin.site.register(CampaignEvent)
admin.site.register(PublicPage)
admin.site.register(PublishedReport)
