"""Phone numbers: stored in E.164 (``+19165551234``) so that every ``tel:`` link dials, and
shown the way people in the local write them (``(916) 555-1234``).

The region that a number without a country code belongs to is ``settings.PHONE_REGION``
(the United States unless set)."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def _region(region: str | None) -> str:
    return region or settings.PHONE_REGION


def parse_phone(raw: str, region: str | None = None) -> phonenumbers.PhoneNumber | None:
    """The number ``raw`` stands for, or None when it is not a valid phone number."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, _region(region))
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # An extension has no place in E.164; RFC 3966 keeps it, and tel: links understand it.
    return f"{stored};ext={number.extension}" if number.extension else stored


def normalise_phone(raw: str, region: str | None = None) -> str:
    """The E.164 form of a valid number; anything else comes back as given (stripped), so that
    a roster or an old record never loses what someone typed."""
    number = parse_phone(raw, region)
    return _e164(number) if number else (raw or "").strip()


def normalise_phone_or_none(raw: str, region: str | None = None) -> str | None:
    """The E.164 form of a valid number, or None: for forms that refuse what is not one."""
    number = parse_phone(raw, region)
    return _e164(number) if number else None


def display_phone(value: str, region: str | None = None) -> str:
    """National format for the local's own numbers, international for the others; text that
    is not a number is shown as it is."""
    number = parse_phone(value, region)
    if number is None:
        return value or ""
    home = phonenumbers.region_code_for_number(number) == _region(region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def tel_uri(value: str, region: str | None = None) -> str:
    """``tel:+19165551234`` for a valid number, "" for anything that would not dial."""
    number = parse_phone(value, region)
    return f"tel:{_e164(number)}" if number else ""
