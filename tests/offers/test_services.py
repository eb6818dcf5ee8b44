from django.core import mail
from django.utils import translation

from eyelevel.offers import services
from tests.factories.customers import CustomerFactory
from tests.offers.conftest import consent


def _products(offers):  # type: ignore[no-untyped-def]
    return [o.product_name for o in offers.offers]


def test_without_consent_only_general_offers_and_the_portal_says_so(shop, customer):  # type: ignore[no-untyped-def]
    services.create_offer(organisation=shop, data=services.OfferIn(title="Autumn sale"))
    offers = services.offers_for(organisation=shop, customer_id=customer.pk, language="en")
    assert not offers.personal
    assert _products(offers) == [""]
    assert offers.offers[0].title == "Autumn sale"
    assert "not agreed to personalised offers" in offers.explanation


def test_personal_offers_from_the_own_history_with_reasons(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    offers = services.offers_for(organisation=shop, customer_id=customer.pk, language="en")
    assert offers.personal
    by_name = {o.product_name: o for o in offers.offers}
    assert offers.offers[0].product_name == "Milk"
    assert by_name["Milk"].kind == "running_out"
    assert "every 7 days" in by_name["Milk"].reason
    assert by_name["Bread"].kind == "running_out"
    assert "every 14 days" in by_name["Bread"].reason
    assert by_name["Coffee beans"].kind == "favourite"
    assert by_name["Coffee beans"].reason.startswith("You bought this once, in ")
    with translation.override("de"):
        german = services.offers_for(organisation=shop, customer_id=customer.pk)
    assert any("gekauft" in o.reason or "kaufen" in o.reason for o in german.offers)


def test_collaborative_filtering_brings_what_similar_customers_buy(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    before = _products(services.offers_for(organisation=shop, customer_id=customer.pk))
    assert "Jam" not in before
    services.train_recommender(organisation=shop)
    offers = services.offers_for(organisation=shop, customer_id=customer.pk, language="en")
    jam = next(o for o in offers.offers if o.product_name == "Jam")
    assert jam.kind == "similar"
    assert jam.reason == "Customers who shop like you often buy this."
    assert _products(offers)[:2] == ["Milk", "Bread"]


def test_choices_apply_at_once(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    services.train_recommender(organisation=shop)
    offers = services.offers_for(organisation=shop, customer_id=customer.pk)
    milk = next(o for o in offers.offers if o.product_name == "Milk")
    services.exclude(organisation=shop, customer_id=customer.pk, kind="not_interested", product_id=milk.product_id)
    services.exclude(organisation=shop, customer_id=customer.pk, kind="category", category="bakery")
    names = _products(services.offers_for(organisation=shop, customer_id=customer.pk))
    assert "Milk" not in names
    assert "Bread" not in names
    assert "Jam" in names
    choices = services.personalisation(organisation=shop, customer_id=customer.pk)
    assert {e.kind for e in choices.exclusions} == {"not_interested", "category"}
    services.remove_exclusion(organisation=shop, customer_id=customer.pk,
                              offer_exclusion_id=next(e.id for e in choices.exclusions if e.kind == "category"))
    assert "Bread" in _products(services.offers_for(organisation=shop, customer_id=customer.pk))
    services.set_personalisation(organisation=shop, customer_id=customer.pk, on=False)
    off = services.offers_for(organisation=shop, customer_id=customer.pk, language="en")
    assert not off.personal
    assert "switched personal offers off" in off.explanation


def test_revoking_consent_stops_personal_offers(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    assert services.offers_for(organisation=shop, customer_id=customer.pk).personal
    consent(shop, customer, granted=False)
    assert not services.offers_for(organisation=shop, customer_id=customer.pk).personal


def test_personal_newsletter_goes_through_the_gate(shop, customer, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    other = CustomerFactory(organisation=shop, email="no-consent@example.com")
    from tests.offers.conftest import buy

    buy(shop, other.pk, "O1", 2, "TEA")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.send_newsletters(organisation=shop)
    assert report.sent == 1
    assert report.skipped == 3  # the customer without consent and the two neighbours
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lena@example.com"]
    assert "Milk" in message.body
    assert "Why:" in message.body
    assert "built from your own purchases" in message.body
    assert message.extra_headers["X-Eyelevel-Automated"] == "yes"


def test_export_and_erasure(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    services.train_recommender(organisation=shop)
    offers = services.offers_for(organisation=shop, customer_id=customer.pk)
    services.exclude(organisation=shop, customer_id=customer.pk, kind="product", product_id=offers.offers[0].product_id)
    exported = services.export_offers(shop.pk, customer.pk)
    assert exported["exclusions"][0]["kind"] == "product"
    assert services.erase_offers(shop.pk, customer.pk) == 2  # the exclusion and the row in the fitted model
    assert services.exclusions_of(organisation=shop, customer_id=customer.pk) == []
    loaded = services._loaded(shop.pk)
    assert customer.pk not in loaded.customer_row


def test_erasure_reaches_models_being_trained_and_repeats(shop, customer):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from eyelevel.customers.models import Customer
    from eyelevel.offers.models import RecommenderModel

    consent(shop, customer)
    neighbours = list(Customer.objects.for_organisation(shop).exclude(pk=customer.pk).values_list("pk", flat=True))
    run = RecommenderModel.objects.create(organisation=shop, status="running")
    # The customer is erased while the run has already read their purchases (their receipts still name them here).
    Customer.objects.for_organisation(shop).filter(pk=customer.pk).update(erased_at=timezone.now())
    services.train_recommender(organisation=shop, run_id=run.pk)
    loaded = services._loaded(shop.pk)
    assert customer.pk not in loaded.customer_row
    assert -1 in loaded.customer_row
    # Erasing two more customers one after the other keeps every remaining row under its own id.
    for erased in neighbours[:2]:
        services.erase_offers(shop.pk, erased)
    loaded = services._loaded(shop.pk)
    assert len(loaded.customer_ids) == loaded.model.histories.shape[0]
    assert not set(neighbours[:2]) & set(loaded.customer_row)
    assert set(neighbours[2:]) <= set(loaded.customer_row)


def test_another_organisation_sees_nothing(shop, customer, other_org):  # type: ignore[no-untyped-def]
    import pytest

    from eyelevel.core.errors import NotFound

    with pytest.raises(NotFound):
        services.offers_for(organisation=other_org, customer_id=customer.pk)
    with pytest.raises(NotFound):
        services.set_personalisation(organisation=other_org, customer_id=customer.pk, on=False)


def test_erasure_empties_the_customers_history_in_the_stored_model(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    services.train_recommender(organisation=shop)
    before = services._loaded(shop.pk)
    row = before.customer_row[customer.pk]
    others = {int(c): before.model.histories[i].nnz for i, c in enumerate(before.customer_ids) if c != customer.pk}
    assert before.model.histories[row].nnz > 0
    services.erase_offers(shop.pk, customer.pk)
    after = services._loaded(shop.pk)
    assert after.model.histories[row].nnz == 0  # rule 1: nothing of their purchases stays in the model
    assert {int(c): after.model.histories[i].nnz for i, c in enumerate(after.customer_ids) if c != -1} == others


def test_erasure_reaches_a_model_another_web_process_has_cached(shop, customer):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    services.train_recommender(organisation=shop)
    assert customer.pk in services._loaded(shop.pk).customer_row
    cached_elsewhere = services._cache[shop.pk]
    services.erase_offers(shop.pk, customer.pk)
    services._cache[shop.pk] = cached_elsewhere  # another process still holds the model it loaded before
    assert customer.pk not in services._loaded(shop.pk).customer_row
