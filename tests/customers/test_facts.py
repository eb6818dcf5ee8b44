"""Personal data as facts: purpose and source required, consent respected, rectification with history (rule 1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.customers import services
from eyelevel.customers.models import PersonalFact
from eyelevel.customers.schemas import FactIn, FactSource

STAFF = FactSource(kind="staff", detail="staff: agent")


def test_a_datum_without_a_declared_purpose_is_refused(org, customer):
    with pytest.raises(InvalidInput) as error:
        services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                             data=FactIn(key="birthday", value="1990-04-01", purpose_code="undeclared"))
    assert error.value.field == "purpose_code"
    assert "no purpose 'undeclared' is declared" in error.value.detail
    assert not PersonalFact.objects.for_organisation(org).exists()


def test_a_consent_based_datum_needs_consent(org, customer, purposes):
    data = FactIn(key="favourite-bread", value="rye", purpose_code="newsletter")
    with pytest.raises(Conflict) as error:
        services.record_fact(organisation=org, customer_id=customer.pk, data=data, source=STAFF)
    assert "not consented" in error.value.detail
    services.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=True,
                         channel="portal")
    fact = services.record_fact(organisation=org, customer_id=customer.pk, data=data, source=STAFF)
    assert fact.value == "rye"
    assert fact.purpose_code == "newsletter"


def test_a_fact_carries_purpose_source_and_expiry_from_the_retention(org, customer, purposes):
    before = timezone.now()
    fact = services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                                data=FactIn(key="address", value="Hauptstr. 1", purpose_code="order-handling"))
    assert fact.source_kind == "staff"
    assert fact.source_detail == "staff: agent"
    assert before + timedelta(days=365) <= fact.expires_at <= timezone.now() + timedelta(days=365)


def test_a_source_must_be_named(org, customer, purposes):
    with pytest.raises(InvalidInput):
        services.record_fact(organisation=org, customer_id=customer.pk, source=FactSource(kind="import", detail=" "),
                             data=FactIn(key="address", value="x", purpose_code="order-handling"))


def test_bulk_facts_are_all_or_nothing_and_name_the_row(org, customer, purposes):
    rows = [FactIn(key=f"k{i}", value="v", purpose_code="order-handling") for i in range(3)]
    rows.append(FactIn(key="bad", value="v", purpose_code="nope"))
    with pytest.raises(InvalidInput) as error:
        services.record_facts(organisation=org, customer_id=customer.pk, facts=rows,
                              source=FactSource(kind="import", detail="customers.csv"))
    assert error.value.detail.startswith("row 4:")
    assert not PersonalFact.objects.for_organisation(org).exists()
    assert services.record_facts(organisation=org, customer_id=customer.pk, facts=rows[:3],
                                 source=FactSource(kind="import", detail="customers.csv")) == 3


def test_rectification_keeps_the_history(org, customer, purposes):
    fact = services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                                data=FactIn(key="address", value="Hauptstr. 1", purpose_code="order-handling"))
    corrected = services.rectify_fact(organisation=org, customer_id=customer.pk, personal_fact_id=fact.id,
                                      value="Hauptstr. 10", source=FactSource(kind="portal", detail="you"))
    assert corrected.value == "Hauptstr. 10"
    history = services.fact_history(organisation=org, customer_id=customer.pk, personal_fact_id=fact.id)
    assert [(h.old_value, h.new_value, h.source_kind) for h in history] == [("Hauptstr. 1", "Hauptstr. 10", "portal")]


def test_recording_the_same_key_again_corrects_it_idempotently(org, customer, purposes):
    data = FactIn(key="address", value="A", purpose_code="order-handling")
    first = services.record_fact(organisation=org, customer_id=customer.pk, data=data, source=STAFF)
    again = services.record_fact(organisation=org, customer_id=customer.pk, data=data, source=STAFF)
    assert first.id == again.id
    assert services.fact_history(organisation=org, customer_id=customer.pk, personal_fact_id=first.id) == []


def test_identity_rectification_keeps_history(org, customer):
    services.rectify_identity(organisation=org, customer_id=customer.pk, display_name="Lena Becker-Schmidt",
                              language="de", source=FactSource(kind="portal", detail="you"))
    history = services.fact_history(organisation=org, customer_id=customer.pk, key="display_name")
    assert history[0].old_value == "Lena Becker"
    assert history[0].new_value == "Lena Becker-Schmidt"


def test_my_data_shows_identity_and_groups_by_purpose(org, customer, purposes):
    services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                         data=FactIn(key="address", value="Hauptstr. 1", purpose_code="order-handling"))
    data = services.my_data(organisation=org, customer_id=customer.pk)
    assert data.identity_purpose.code == services.ACCOUNT_PURPOSE_CODE
    assert data.identity_purpose.legal_basis == "contract"
    assert {f.key: f.value for f in data.identity}["email"] == "lena@example.com"
    assert [g.purpose.code for g in data.groups] == ["order-handling"]
    assert data.groups[0].facts[0].value == "Hauptstr. 1"


def test_facts_of_another_organisation_are_not_found(org, other_org, customer, purposes):
    fact = services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                                data=FactIn(key="address", value="x", purpose_code="order-handling"))
    with pytest.raises(NotFound):
        services.get_fact(organisation=other_org, customer_id=customer.pk, personal_fact_id=fact.id)


def test_retention_deletes_only_expired_facts(org, customer, purposes):
    kept = services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                                data=FactIn(key="address", value="x", purpose_code="order-handling"))
    old = services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                               data=FactIn(key="phone", value="123", purpose_code="order-handling"))
    PersonalFact.objects.for_organisation(org).filter(pk=old.id).update(expires_at=timezone.now() - timedelta(days=1))
    from eyelevel.customers.tasks import delete_expired_facts

    result = delete_expired_facts.enqueue()
    assert result.return_value == 1
    assert list(PersonalFact.objects.for_organisation(org).values_list("pk", flat=True)) == [kept.id]


def test_retention_command_runs_the_sweep(org, customer, purposes, capsys):
    from django.core.management import call_command

    old = services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                               data=FactIn(key="phone", value="123", purpose_code="order-handling"))
    PersonalFact.objects.for_organisation(org).filter(pk=old.id).update(expires_at=timezone.now())
    call_command("customers", "retention")
    assert "deleted 1 expired" in capsys.readouterr().out
    assert not PersonalFact.objects.for_organisation(org).exists()


def test_imported_customers_show_their_file_and_row_as_source(org):
    from eyelevel.customers.schemas import CustomerIn

    ids = services.import_customers(organisation=org, source_detail="shop-export.csv", rows=[
        CustomerIn(display_name="A", email="a@example.com"), CustomerIn(display_name="B", email="b@example.com")])
    assert services.my_data(organisation=org, customer_id=ids[1]).identity_source == "shop-export.csv, row 2"
