import modeltrans.fields
from django.db import migrations


def story_es_to_i18n(apps, schema_editor):
    """The Spanish story moves from its own column into the translations."""
    PublicPage = apps.get_model("bargaining", "PublicPage")
    for page in PublicPage.objects.exclude(story_es=""):
        page.i18n = {**(page.i18n or {}), "story_es": page.story_es}
        page.save(update_fields=["i18n"])


def i18n_to_story_es(apps, schema_editor):
    PublicPage = apps.get_model("bargaining", "PublicPage")
    for page in PublicPage.objects.exclude(i18n=None):
        page.story_es = (page.i18n or {}).get("story_es", "")
        page.save(update_fields=["story_es"])


class Migration(migrations.Migration):
    dependencies = [
        ("bargaining", "0003_public_version_moves_to_campaign"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicpage",
            name="i18n",
            field=modeltrans.fields.TranslationField(
                fields=("story",), required_languages=(), virtual_fields=True
            ),
        ),
        migrations.RunPython(story_es_to_i18n, i18n_to_story_es),
        migrations.RemoveField(
            model_name="publicpage",
            name="story_es",
        ),
    ]
