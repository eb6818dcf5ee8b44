from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from eyelevel.commerce import services
from eyelevel.commerce.schemas import PriceComponent, ProductIn, StampProgrammeIn
from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from tests.commerce.conftest import receipt
from tests.factories.customers import CustomerFactory


def test_price_breakdown_must_add_up_to_the_price(catalogue):  # type: ignore[no-untyped-def]
    product = services.list_products(organisation=catalogue, query="COF")[0]
    with pytest.raises(InvalidInput) as error:
        services.set_price_breakdown(organisation=catalogue, product_id=product.id, components=[
            PriceComponent(label="Beans", amount=Decimal("1.00"))])
    assert "3.00" in error.value.detail
    saved = services.set_price_breakdown(organisation=catalogue, product_id=product.id, components=[
        PriceComponent(label="Beans", amount=Decimal("0.90")), PriceComponent(label="Labour", amount=Decimal("1.60")),
        PriceComponent(label="Margin", amount=Decimal("0.50"))])
    assert [c.label for c in saved.price_breakdown] == ["Beans", "Labour", "Margin"]


def test_upsert_products_keeps_or_sets_the_breakdown(org):  # type: ignore[no-untyped-def]
    data = ProductIn(sku="B", name="Bread", unit_price=Decimal("2.00"),
                     price_breakdown=[PriceComponent(label="Flour", amount=Decimal("0.50")),
                                      PriceComponent(label="Baker", amount=Decimal("1.50"))])
    services.upsert_products(organisation=org, products=[data])
    services.upsert_products(organisation=org, products=[ProductIn(sku="B", name="Bread", unit_price=Decimal("2.00"))])
    assert len(services.list_products(organisation=org)[0].price_breakdown) == 2
    with pytest.raises(InvalidInput) as error:
        services.upsert_products(organisation=org, products=[ProductIn(
            sku="B", name="Bread", unit_price=Decimal("3.00"),
            price_breakdown=[PriceComponent(label="Flour", amount=Decimal("0.50"))])])
    assert error.value.field == "products[0].price_breakdown"


def test_receipts_show_breakdowns_only_when_the_organisation_opens_its_calculation(catalogue, customer):  # type: ignore[no-untyped-def]
    product = services.list_products(organisation=catalogue, query="COF")[0]
    services.set_price_breakdown(organisation=catalogue, product_id=product.id, components=[
        PriceComponent(label="Beans", amount=Decimal("1.00")), PriceComponent(label="Rest", amount=Decimal("2.00"))])
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 1, "3.00"))])
    receipt_id = services.list_receipts(organisation=catalogue, customer_id=customer.pk).items[0].id
    assert services.get_receipt(organisation=catalogue, receipt_id=receipt_id).lines[0].price_breakdown == []
    services.update_settings(organisation=catalogue, show_price_breakdown=True)
    assert len(services.get_receipt(organisation=catalogue, receipt_id=receipt_id).lines[0].price_breakdown) == 2


def test_record_receipts_is_idempotent_and_names_an_unknown_product(catalogue, customer):  # type: ignore[no-untyped-def]
    data = receipt("R1", customer.pk, ("COF", 2, "3.00", "0.50"), ("MUG", 1, "10.00"))
    assert services.record_receipts(organisation=catalogue, receipts=[data]) == 1
    assert services.record_receipts(organisation=catalogue, receipts=[data]) == 0
    detail = services.get_receipt(organisation=catalogue,
                                  receipt_id=services.list_receipts(organisation=catalogue).items[0].id)
    assert detail.total == Decimal("15.50")
    with pytest.raises(InvalidInput) as error:
        services.record_receipts(organisation=catalogue, receipts=[receipt("R2", None, ("NOPE", 1, "1"))])
    assert error.value.field == "receipts[0].lines[0].sku"
    assert services.receipt_count(organisation_id=catalogue.pk) == 1


def test_search_and_statement_with_vat_totals(catalogue, customer):  # type: ignore[no-untyped-def]
    now = timezone.now()
    services.record_receipts(organisation=catalogue, receipts=[
        receipt("R1", customer.pk, ("COF", 1, "3.21"), when=now - timedelta(days=400)),
        receipt("R2", customer.pk, ("COF", 2, "3.21"), ("MUG", 1, "11.90"), when=now),
        receipt("R3", None, ("MUG", 1, "11.90"), when=now),
    ])
    mine = services.list_receipts(organisation=catalogue, customer_id=customer.pk)
    assert [r.number for r in mine.items] == ["R2", "R1"]
    assert [r.number for r in services.list_receipts(organisation=catalogue, customer_id=customer.pk,
                                                     query="mug").items] == ["R2"]
    today = timezone.localdate()
    statement = services.receipt_statement(organisation=catalogue, customer_id=customer.pk,
                                           start=today - timedelta(days=30), end=today)
    assert [r.number for r in statement.receipts] == ["R2"]
    by_rate = {t.vat_rate: t for t in statement.vat_totals}
    assert by_rate[Decimal("7")].gross == Decimal("6.42")
    assert by_rate[Decimal("7")].net == Decimal("6.00")
    assert by_rate[Decimal("19")].vat == Decimal("1.90")
    assert statement.gross_total == Decimal("18.32")
    csv_text = services.statement_csv(statement)
    assert "R2" in csv_text
    assert "R1" not in csv_text
    assert "6.42" in csv_text
    pdf = services.statement_pdf(statement, organisation_name="Acme", customer_name="Lena")
    assert pdf.startswith(b"%PDF")
    with pytest.raises(InvalidInput):
        services.receipt_statement(organisation=catalogue, customer_id=customer.pk, start=date(2026, 2, 1),
                                   end=date(2026, 1, 1))


def _programme(org, **extra):  # type: ignore[no-untyped-def]
    data = {"name": "Coffee card", "category": "coffee", "stamps_required": 3, "reward": "Free coffee", **extra}
    return services.create_programme(organisation=org, data=StampProgrammeIn(**data))


def test_stamps_come_from_receipts_and_complete_a_card(catalogue, customer):  # type: ignore[no-untyped-def]
    _programme(catalogue, reward_valid_days=30)
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 2, "3"))])
    services.record_receipts(organisation=catalogue, receipts=[receipt("R2", None, ("COF", 5, "3"))])  # anonymous
    card = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0]
    assert (card.stamps, card.rewards) == (2, [])
    services.record_receipts(organisation=catalogue, receipts=[receipt("R3", customer.pk, ("COF", 2, "3"),
                                                                       ("MUG", 3, "10"))])
    card = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0]
    assert card.stamps == 1
    assert len(card.rewards) == 1
    assert card.rewards[0].redeemable
    assert card.rewards[0].expires_at is not None


def test_a_reward_is_redeemed_once(catalogue, customer):  # type: ignore[no-untyped-def]
    _programme(catalogue)
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 3, "3"))])
    reward = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].rewards[0]
    done = services.redeem_reward(organisation=catalogue, stamp_reward_id=reward.id, till="till 1")
    assert done.redeemed_at is not None
    assert not done.redeemable
    assert done.redeemed_by == "till 1"
    with pytest.raises(Conflict) as error:
        services.redeem_reward(organisation=catalogue, stamp_reward_id=reward.id, till="till 2")
    assert "already redeemed" in error.value.detail


def test_expired_stamps_and_rewards(catalogue, customer):  # type: ignore[no-untyped-def]
    _programme(catalogue, stamp_valid_days=10, reward_valid_days=5)
    old = timezone.now() - timedelta(days=20)
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 2, "3"), when=old)])
    assert services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].stamps == 0
    services.record_receipts(organisation=catalogue, receipts=[receipt("R2", customer.pk, ("COF", 3, "3"),
                                                                       when=timezone.now() - timedelta(days=8))])
    reward = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].rewards[0]
    assert not reward.redeemable
    with pytest.raises(Conflict) as error:
        services.redeem_reward(organisation=catalogue, stamp_reward_id=reward.id, till="till")
    assert "expired" in error.value.detail


def test_a_programme_needs_products_or_a_category(org):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as error:
        services.create_programme(organisation=org, data=StampProgrammeIn(name="x", reward="y"))
    assert error.value.field == "skus"


def test_another_organisation_cannot_redeem_or_read(catalogue, customer, other_org):  # type: ignore[no-untyped-def]
    _programme(catalogue)
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 3, "3"))])
    reward = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].rewards[0]
    with pytest.raises(NotFound):
        services.redeem_reward(organisation=other_org, stamp_reward_id=reward.id, till="x")
    assert services.get_reward(organisation=catalogue, stamp_reward_id=reward.id).redeemable
    assert services.list_receipts(organisation=other_org).total == 0


def test_export_and_erasure_keep_totals_for_the_books(catalogue, customer):  # type: ignore[no-untyped-def]
    _programme(catalogue)
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 4, "3"))])
    exported = services.export_receipts(catalogue.pk, customer.pk)
    assert exported["receipts"][0]["number"] == "R1"
    assert exported["stamp_cards"][0]["stamps"] == 1
    other = CustomerFactory(organisation=catalogue)
    services.record_receipts(organisation=catalogue, receipts=[receipt("R2", other.pk, ("COF", 1, "3"))])
    assert services.erase_receipts(catalogue.pk, customer.pk) == 6  # 1 receipt kept anonymous, 4 stamps, 1 reward
    assert services.list_receipts(organisation=catalogue, customer_id=customer.pk).total == 0
    assert services.receipt_count(organisation_id=catalogue.pk) == 2
    assert services.revenue_since(organisation_id=catalogue.pk, since=timezone.now() - timedelta(days=1)) == 15
    assert services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].rewards == []
    assert services.list_receipts(organisation=catalogue, customer_id=other.pk).total == 1
