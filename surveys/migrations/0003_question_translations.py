import modeltrans.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_survey_edit_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="i18n",
            field=modeltrans.fields.TranslationField(
                fields=("text", "choices"), required_languages=(), virtual_fields=True
            ),
        ),
    ]
