"""Normalise customer addresses so the same person is recognised across channels."""

from email.utils import parseaddr

import phonenumbers

_PHONE_PREFIXES = ("whatsapp:", "tel:")
_MIN_INTERNATIONAL_DIGITS = 8
_PLAIN_KINDS = ("telegram", "facebook", "instagram", "other")


def _strip_phone_prefix(value: str) -> str:
    lowered = value.lower()
    for prefix in _PHONE_PREFIXES:
        if lowered.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def _valid_e164(value: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(value: str, default_region: str | None, assume_international: bool = False) -> str | None:
    """Return ``value`` as an E.164 number ("+32470123456"), or None if it is not a valid number.

    ``whatsapp:`` and ``tel:`` prefixes are ignored. Numbers without a leading "+" are read as
    national numbers of ``default_region`` (an ISO 3166 code such as "BE"). With
    ``assume_international``, a string of 8 or more digits is first read as an international
    number without its "+", as WhatsApp ids ("14155550100") are.
    """
    if not isinstance(value, str):
        return None
    value = _strip_phone_prefix(value.strip())
    if not value:
        return None
    digits_only = value.isascii() and value.isdigit()
    if assume_international and digits_only and len(value) >= _MIN_INTERNATIONAL_DIGITS:
        # International first: permissive national plans (Germany, Austria...) would otherwise
        # accept a wa_id such as 4915112345678 as a national number.
        international = _valid_e164("+" + value, None)
        if international:
            return international
    return _valid_e164(value, default_region.upper() if default_region else None)


def normalize_email(value: str) -> str | None:
    """Return the trimmed, lower-cased address of ``value`` ("Ann <Ann@Example.com>" included),
    or None when it holds no ``local@domain`` address."""
    if not isinstance(value, str):
        return None
    address = parseaddr(value.strip())[1].strip().lower()
    local, separator, domain = address.rpartition("@")
    if not separator or not local or not domain or any(char.isspace() for char in address):
        return None
    return address


def normalize_identity(kind: str, value: str, default_region: str | None) -> str | None:
    """Normalise an address of the given kind; None when it is empty or invalid.

    phone and whatsapp give E.164 numbers (WhatsApp ids are read as international numbers),
    email a lower-cased address, telegram/facebook/instagram/other the stripped value.
    Raises ValueError for an unknown kind.
    """
    if kind == "phone":
        return normalize_phone(value, default_region)
    if kind == "whatsapp":
        return normalize_phone(value, default_region, assume_international=True)
    if kind == "email":
        return normalize_email(value)
    if kind in _PLAIN_KINDS:
        # Odoo hands False for an empty field; ids such as Telegram's may arrive as integers.
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return None
        return str(value).strip() or None
    raise ValueError(f"unknown identity kind: {kind!r}")
