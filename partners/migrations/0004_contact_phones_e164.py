"""Partner contacts' phone numbers in E.164, as the forms now store them; numbers that are not
valid stay as they were."""

import phonenumbers
from django.conf import settings
from django.db import migrations


def normalise(raw: str) -> str:
    try:
        number = phonenumbers.parse(raw.strip(), settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{stored};ext={number.extension}" if number.extension else stored


def normalise_phones(apps, schema_editor):
    Contact = apps.get_model("partners", "Contact")
    changed = []
    for contact in Contact.objects.exclude(phone="").only("pk", "phone"):
        phone = normalise(contact.phone)
        if phone != contact.phone:
            contact.phone = phone
            changed.append(contact)
    Contact.objects.bulk_update(changed, ["phone"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_versions"),
    ]

    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop)]
