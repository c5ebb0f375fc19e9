"""The bargaining record's Spanish columns move into django-modeltrans's ``i18n`` field, which
holds a text per content language. Each ``_es`` column is first renamed out of the way of the
virtual field of the same name, copied into ``i18n`` and then dropped. Commitments get the
edit version that translations and concurrent edits check (articles have theirs already)."""

import contextlib

import modeltrans.fields
import pgtrigger
from django.db import migrations, models

# model -> the fields that had a Spanish column
TRANSLATED = {
    "contractarticle": ("title",),
    "session": ("public_summary",),
    "proposal": ("topic",),
    "proposalversion": ("text",),
    "tentativeagreement": ("title", "summary"),
    "campaignevent": ("title", "description"),
    "commitment": ("title",),
}
MODELS = {
    "contractarticle": "ContractArticle",
    "session": "Session",
    "proposal": "Proposal",
    "proposalversion": "ProposalVersion",
    "tentativeagreement": "TentativeAgreement",
    "campaignevent": "CampaignEvent",
    "commitment": "Commitment",
}

LOCAL_PATHS = {"proposalversion": "proposal__campaign__local_id"}


def old(name: str) -> str:
    return f"{name}_es_column"


def spanish_into_i18n(apps, schema_editor):
    # The audit trail's triggers installed now still name the old columns; the copy is not
    # an edit anybody made, so it is left out of the trail.
    ignoring = (
        pgtrigger.ignore() if schema_editor.connection.vendor == "postgresql" else contextlib.nullcontext()
    )
    with ignoring:
        _copy_spanish(apps)


def _copy_spanish(apps):
    spanish_locals = set()
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("bargaining", MODELS[model_name])
        columns = [old(name) for name in fields]
        local = LOCAL_PATHS.get(model_name, "campaign__local_id")
        for pk, i18n, local_id, *values in model.objects.values_list(
            "pk", "i18n", local, *columns
        ):
            texts = {f"{name}_es": value for name, value in zip(fields, values) if value.strip()}
            if texts:
                model.objects.filter(pk=pk).update(i18n={**(i18n or {}), **texts})
                spanish_locals.add(local_id)
    # A local that wrote its record in Spanish keeps Spanish among its content languages, so
    # its leaders still find the Spanish boxes on the forms.
    Local = apps.get_model("campaigns", "Local")
    for local in Local.objects.filter(pk__in=spanish_locals):
        if "es" not in (local.content_languages or []):
            local.content_languages = ["es", *(local.content_languages or [])]
            local.save(update_fields=["content_languages"])


def i18n_into_spanish(apps, schema_editor):
    ignoring = (
        pgtrigger.ignore() if schema_editor.connection.vendor == "postgresql" else contextlib.nullcontext()
    )
    with ignoring:
        _copy_back(apps)


def _copy_back(apps):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("bargaining", MODELS[model_name])
        for pk, i18n in model.objects.exclude(i18n=None).values_list("pk", "i18n"):
            values = {old(name): (i18n or {}).get(f"{name}_es", "") for name in fields}
            model.objects.filter(pk=pk).update(**values)


def translation_field(fields):
    return modeltrans.fields.TranslationField(
        fields=fields, required_languages=(), virtual_fields=True
    )


renames = [
    migrations.RenameField(model_name=model, old_name=f"{name}_es", new_name=old(name))
    for model, fields in TRANSLATED.items()
    for name in fields
]
additions = [
    migrations.AddField(model_name=model, name="i18n", field=translation_field(fields))
    for model, fields in TRANSLATED.items()
]
removals = [
    migrations.RemoveField(model_name=model, name=old(name))
    for model, fields in TRANSLATED.items()
    for name in fields
]


class Migration(migrations.Migration):
    dependencies = [
        ("bargaining", "0007_contract_article_version"),
        ("campaigns", "0012_local_content_languages"),
    ]

    operations = [
        *renames,
        *additions,
        migrations.RunPython(spanish_into_i18n, i18n_into_spanish),
        *removals,
        migrations.AddField(
            model_name="commitment",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
