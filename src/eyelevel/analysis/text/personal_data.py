"""Personal data in free text: what must not reach a public page by accident (rule 1).

Knowledge articles start from a customer's own words, which often carry an email address, a phone number,
an account number or the customer's name. Before such text is published it is checked here. The patterns
prefer missing nothing that has the shape of contact or payment data; the organisation's own hotline also
has a phone number's shape, so the caller lets a licensed person confirm what is not personal.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# +49 171 1234567, 0171/1234567, (030) 123 45 67: a leading + or 0, then 7 to 14 more digits with separators.
PHONE = re.compile(r"(?<![\w+(])\(?(?:\+|00|0)\d(?:[\s/().-]{0,2}\d){6,13}(?!\w)")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")
DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")  # 01.12.2026 has a phone number's shape too
CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


@dataclass(frozen=True)
class Finding:
    """One piece of text that looks like personal data: kind is email, phone, iban, card, name."""

    kind: str
    text: str


def _luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _iban_valid(text: str) -> bool:
    compact = text.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def find_personal_data(text: str, *, names: Iterable[str] = (), emails: Iterable[str] = ()) -> list[Finding]:
    """Email addresses, phone numbers, IBANs and payment card numbers in text, and any of the given names or
    email addresses (of the customers whose cases the text came from), in the order found, each once."""
    found: list[Finding] = []
    for match in EMAIL.finditer(text):
        found.append(Finding("email", match.group()))
    for match in IBAN.finditer(text):
        if _iban_valid(match.group()):
            found.append(Finding("iban", match.group()))
    for match in CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if _luhn(digits) and len(set(digits)) > 1:
            found.append(Finding("card", match.group()))
    covered = " ".join(f.text for f in found)
    for match in PHONE.finditer(text):
        if match.group() not in covered and not DATE.fullmatch(match.group().strip()):
            # an IBAN, a card number or a date also has a phone number's shape
            found.append(Finding("phone", match.group().strip()))
    lowered = text.casefold()
    for email in emails:
        if email and email.casefold() in lowered and not any(f.text.casefold() == email.casefold() for f in found):
            found.append(Finding("email", email))
    for name in names:
        for part in _name_parts(name):
            if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE if " " in part else 0):
                found.append(Finding("name", part))
                break
    unique: dict[tuple[str, str], Finding] = {}
    for finding in found:
        unique.setdefault((finding.kind, finding.text), finding)
    return list(unique.values())


def _name_parts(name: str) -> list[str]:
    """The full name first, then the last word when it is long enough not to be a common short word."""
    words = name.split()
    if not words:
        return []
    parts = [" ".join(words)] if len(words) > 1 else []
    if len(words[-1]) >= 4:
        parts.append(words[-1])
    return parts
