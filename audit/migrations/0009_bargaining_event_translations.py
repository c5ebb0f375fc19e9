"""The audit trail's copies of proposals and their versions follow the bargaining record: the
Spanish text moves from its own column into ``i18n``, history included."""

import modeltrans.fields
from django.db import migrations

# event model -> the field that had a Spanish column
TRANSLATED = {"proposalevent": "topic", "proposalversionevent": "text"}
MODELS = {"proposalevent": "ProposalEvent", "proposalversionevent": "ProposalVersionEvent"}


def spanish_into_i18n(apps, schema_editor):
    for model_name, name in TRANSLATED.items():
        model = apps.get_model("audit", MODELS[model_name])
        rows = model.objects.exclude(**{f"{name}_es_column": ""})
        for pk, value in rows.values_list("pk", f"{name}_es_column"):
            model.objects.filter(pk=pk).update(i18n={f"{name}_es": value})


def i18n_into_spanish(apps, schema_editor):
    for model_name, name in TRANSLATED.items():
        model = apps.get_model("audit", MODELS[model_name])
        for pk, i18n in model.objects.exclude(i18n=None).values_list("pk", "i18n"):
            value = (i18n or {}).get(f"{name}_es", "")
            model.objects.filter(pk=pk).update(**{f"{name}_es_column": value})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_audit_trail_field_names"),
    ]

    operations = [
        *(
            migrations.RenameField(
                model_name=model, old_name=f"{name}_es", new_name=f"{name}_es_column"
            )
            for model, name in TRANSLATED.items()
        ),
        *(
            migrations.AddField(
                model_name=model,
                name="i18n",
                field=modeltrans.fields.TranslationField(
                    fields=(name,), required_languages=(), virtual_fields=True
                ),
            )
            for model, name in TRANSLATED.items()
        ),
        migrations.RunPython(spanish_into_i18n, i18n_into_spanish),
        *(
            migrations.RemoveField(model_name=model, name=f"{name}_es_column")
            for model, name in TRANSLATED.items()
        ),
    ]
