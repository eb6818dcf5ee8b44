"""Purposes most customer and messaging tests need."""

from eyelevel.customers import services
from eyelevel.customers.schemas import PurposeIn


def declare(organisation, code: str, legal_basis: str, *, marketing: bool = False, retention_days: int = 365):  # type: ignore[no-untyped-def]
    return services.declare_purpose(organisation=organisation, data=PurposeIn(
        code=code, name_en=code.replace("-", " ").title(), name_de=f"{code} (de)",
        description_en=f"We use this for {code}.", description_de=f"Wir nutzen das für {code}.",
        legal_basis=legal_basis, retention_days=retention_days, marketing=marketing,
    ))


def standard_purposes(organisation):  # type: ignore[no-untyped-def]
    """order-handling (contract), newsletter (consent, marketing), feedback-follow-up (legitimate interest)."""
    return {
        "order": declare(organisation, "order-handling", "contract"),
        "newsletter": declare(organisation, "newsletter", "consent", marketing=True),
        "followup": declare(organisation, "feedback-follow-up", "legitimate_interest"),
    }
