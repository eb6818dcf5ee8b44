"""What counts as personal data in free text before it is published (rule 1)."""

import pytest

from eyelevel.analysis.text.personal_data import find_personal_data


def kinds(text: str, **known) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(f.kind, f.text) for f in find_personal_data(text, **known)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Write to lena.weber+shop@example.org please", [("email", "lena.weber+shop@example.org")]),
    ("Ruf mich an: +49 171 2345678.", [("phone", "+49 171 2345678")]),
    ("Tel. 0171/2345678 oder (030) 123 45 67", [("phone", "0171/2345678"), ("phone", "(030) 123 45 67")]),
    ("IBAN DE89 3704 0044 0532 0130 00 for the refund", [("iban", "DE89 3704 0044 0532 0130 00")]),
    ("card 4111 1111 1111 1111 was charged twice", [("card", "4111 1111 1111 1111")]),
])
def test_contact_and_payment_data_are_found(text, expected):  # type: ignore[no-untyped-def]
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "Delivered on 01.12.2026, order 2026-11-23, version 4.2.1, price 12,99 EUR.",
    "Restart the router and wait 30 seconds; error code 0x80070005.",
    "Order number 123456789012 arrived late.",  # not a valid card number (Luhn), not a phone shape
    "DE12 3456 7890 1234 5678 90",  # an IBAN's shape with a wrong check sum
    "The timer jumps back to zero whenever I open the oven door.",
])
def test_ordinary_support_text_is_not_flagged(text):  # type: ignore[no-untyped-def]
    assert kinds(text) == []


def test_the_names_and_emails_of_the_linked_customers_are_found():  # type: ignore[no-untyped-def]
    text = "Mrs Bergmann says the app logs her out; anna@example.net confirmed it."
    found = kinds(text, names=["Anna Bergmann"], emails=["ANNA@example.net"])
    assert ("name", "Bergmann") in found
    assert ("email", "anna@example.net") in found
    assert len(found) == 2  # the address found by shape is not listed twice
    # A short given name alone, or the surname as an ordinary lower-case word, is not flagged.
    assert kinds("The baker (bergmann shop) said so", names=["Anna Bergmann"]) == []
    assert kinds("Anna Bergmann wrote", names=["anna bergmann"]) == [("name", "anna bergmann")]


@pytest.mark.parametrize("text", ["a" * 100_000, "0 " * 50_000, "x." * 50_000, "DE89 " * 20_000])
def test_huge_hostile_text_is_read_in_one_pass(text):  # type: ignore[no-untyped-def]
    # Each pattern starts only where a run begins, so a long run without an "@" is not rescanned from every
    # position; before that guard the first text took about half a minute.
    assert kinds(text, names=["Anna Bergmann"], emails=["anna@example.net"]) == []
