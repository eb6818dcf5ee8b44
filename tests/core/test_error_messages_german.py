"""Domain errors raised by the services reach staff, customers and integrators in their language (German here)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import translation

from eyelevel.accounts import services as accounts
from eyelevel.accounts.schemas import ActingStaff
from eyelevel.commerce import services as commerce
from eyelevel.core import services as core
from eyelevel.core.errors import DomainError
from eyelevel.customers import services as customers
from eyelevel.feedback import services as feedback
from eyelevel.feedback.schemas import FeedbackIn
from eyelevel.knowledge import services as knowledge
from eyelevel.knowledge.schemas import ArticleIn
from eyelevel.messaging import services as messaging
from eyelevel.offers import services as offers
from eyelevel.relationships.export import charter_document
from eyelevel.surveys import services as surveys
from tests.factories.knowledge import ArticleFactory
from tests.factories.surveys import SurveyFactory


@dataclass
class World:
    """What the cases act on: an organisation, its owner acting, one of its customers."""

    org: object
    owner: ActingStaff
    customer: object


@pytest.fixture
def world(org, owner, customer) -> World:  # type: ignore[no-untyped-def]
    acting = accounts.resolve_acting_staff(user_id=owner.pk, organisation_id=org.pk)
    assert acting is not None
    return World(org=org, owner=acting, customer=customer)


def _unknown_role(w: World) -> None:
    accounts.add_member(organisation=w.org, actor=w.owner, username="lena", email="", role="boss")


def _missing_organisation(w: World) -> None:
    del w
    core.get_organisation(organisation_id=999999)


def _flag_a_missing_article(w: World) -> None:
    knowledge.flag_article(organisation=w.org, actor=w.owner, article_id=999999, comment="Wrong.")


def _empty_title(w: World) -> None:
    knowledge.create_article(organisation=w.org, actor=w.owner, data=ArticleIn(title=" ", issue="It breaks."))


def _wrong_move(w: World) -> None:
    article = ArticleFactory(organisation=w.org, state="wip")
    knowledge.transition_article(organisation=w.org, actor=w.owner, article_id=article.pk, state="wip")


def _period_ends_before_it_starts(w: World) -> None:
    commerce.receipt_statement(organisation=w.org, customer_id=w.customer.pk, start=date(2025, 2, 1),
                               end=date(2025, 1, 1))


def _receipt_file_with_a_bad_row(w: World) -> None:
    commerce.import_receipts_csv(organisation=w.org, payload=b"receipt_number,timestamp,product_code,quantity,"
                                 b"unit_price\nR1,2025-03-14 09:30,P1,0,1.00\n")


def _short_portal_password(w: World) -> None:
    customers.set_portal_password(organisation=w.org, customer_id=w.customer.pk, password="short")


def _empty_feedback(w: World) -> None:
    feedback.record_feedback(organisation=w.org, data=FeedbackIn(text="  ", channel="email"), classify=False)


def _acknowledge_a_missing_item(w: World) -> None:
    feedback.acknowledge_item(organisation=w.org, feedback_item_id=999999, user_id=None)


def _forged_unsubscribe_link(w: World) -> None:
    del w
    messaging.read_unsubscribe_token(token="forged")


def _unknown_offer_exclusion(w: World) -> None:
    offers.exclude(organisation=w.org, customer_id=w.customer.pk, kind="someday")


def _charter_in_french(w: World) -> None:
    charter_document(organisation=w.org, charter_version_id=None, language="fr")


def _unknown_survey_status(w: World) -> None:
    survey = SurveyFactory(organisation=w.org)
    surveys.set_survey_status(organisation=w.org, survey_id=survey.pk, status="paused")


CASES: list[tuple[str, Callable[[World], None], str]] = [
    ("accounts-unknown-role", _unknown_role, "unbekannte Rolle 'boss'"),
    ("core-missing-organisation", _missing_organisation, "Organisation nicht gefunden"),
    ("core-missing-scoped-object", _flag_a_missing_article, "Artikel nicht gefunden"),
    ("knowledge-empty-title", _empty_title, "der Titel ist leer"),
    ("knowledge-wrong-move", _wrong_move, "ein Artikel kann nicht von wip nach wip wechseln"),
    ("commerce-period", _period_ends_before_it_starts, "das Ende des Zeitraums liegt vor seinem Beginn"),
    ("commerce-receipt-file", _receipt_file_with_a_bad_row,
     "1 fehlerhafte Zeilen, nichts importiert; die erste: Zeile 2, quantity: "
     "darf nicht 0 sein (eine Rückgabe ist eine negative Menge)"),
    ("customers-short-password", _short_portal_password, "ein Passwort braucht mindestens 10 Zeichen"),
    ("feedback-empty-text", _empty_feedback, "der Text des Feedbacks ist leer"),
    ("feedback-missing-item", _acknowledge_a_missing_item, "Feedback-Eintrag nicht gefunden"),
    ("messaging-forged-unsubscribe-link", _forged_unsubscribe_link, "dieser Link zum Abbestellen ist ungültig"),
    ("offers-unknown-kind", _unknown_offer_exclusion, "unbekannte Art 'someday'"),
    ("relationships-charter-language", _charter_in_french, "die Sprache muss eine von en, de sein"),
    ("surveys-unknown-status", _unknown_survey_status, "unbekannter Status 'paused'"),
]


@pytest.mark.parametrize(("cause", "expected"), [(case[1], case[2]) for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_service_error_speaks_german(world: World, cause: Callable[[World], None], expected: str) -> None:
    with translation.override("de"), pytest.raises(DomainError) as raised:
        cause(world)
    assert raised.value.detail == expected


def test_a_refused_permission_speaks_german(org, analyst) -> None:  # type: ignore[no-untyped-def]
    acting = accounts.resolve_acting_staff(user_id=analyst.pk, organisation_id=org.pk)
    with translation.override("de"), pytest.raises(DomainError) as raised:
        accounts.add_member(organisation=org, actor=acting, username="lena", email="", role="agent")
    assert raised.value.detail == "Ihre Rolle darf das nicht (users.manage)"


def test_a_service_error_stays_english_in_english(world: World) -> None:
    with translation.override("en"), pytest.raises(DomainError) as raised:
        _wrong_move(world)
    assert raised.value.detail == "an article cannot move from wip to wip"


def test_the_api_answers_in_the_language_asked_for(api_client, org) -> None:  # type: ignore[no-untyped-def]
    response = api_client.get("/api/v1/knowledge/articles/999999", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert response.json()["detail"] == "Artikel nicht gefunden"
    english = api_client.get("/api/v1/knowledge/articles/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "article not found"
