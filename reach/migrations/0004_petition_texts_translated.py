"""A petition's title and statement move from a row per language (PetitionText) onto the
petition: the default language's into its own columns, the others into django-modeltrans's
``i18n``. A petition without a default-language text keeps its first text there."""

import modeltrans.fields
from django.conf import settings
from django.db import migrations, models


def texts_onto_petitions(apps, schema_editor):
    Petition = apps.get_model("reach", "Petition")
    PetitionText = apps.get_model("reach", "PetitionText")
    default = settings.LANGUAGE_CODE
    for petition in Petition.objects.all():
        texts = list(PetitionText.objects.filter(petition=petition).order_by("pk"))
        if not texts:
            petition.title = petition.slug
            petition.save(update_fields=["title"])
            continue
        first = next((text for text in texts if text.language == default), texts[0])
        petition.title, petition.statement = first.title, first.statement
        i18n = {}
        for text in texts:
            if text.language == first.language:
                continue
            key = text.language.replace("-", "_")
            i18n[f"title_{key}"], i18n[f"statement_{key}"] = text.title, text.statement
        petition.i18n = i18n
        petition.save(update_fields=["title", "statement", "i18n"])


def petitions_into_texts(apps, schema_editor):
    Petition = apps.get_model("reach", "Petition")
    PetitionText = apps.get_model("reach", "PetitionText")
    for petition in Petition.objects.all():
        PetitionText.objects.create(
            petition=petition,
            language=settings.LANGUAGE_CODE,
            title=petition.title,
            statement=petition.statement,
        )
        for code, _name in settings.LANGUAGES:
            title = (petition.i18n or {}).get(f"title_{code}")
            if code != settings.LANGUAGE_CODE and title:
                PetitionText.objects.create(
                    petition=petition,
                    language=code,
                    title=title,
                    statement=(petition.i18n or {}).get(f"statement_{code}", ""),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0003_petition_signature_uuids_api_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="title",
            field=models.CharField(default="", max_length=200, verbose_name="title"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="petition",
            name="statement",
            field=models.TextField(default="", verbose_name="statement"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="petition",
            name="i18n",
            field=modeltrans.fields.TranslationField(
                fields=("title", "statement"), required_languages=(), virtual_fields=True
            ),
        ),
        migrations.RunPython(texts_onto_petitions, petitions_into_texts),
        migrations.DeleteModel(name="PetitionText"),
    ]
