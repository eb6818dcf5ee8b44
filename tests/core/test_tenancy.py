"""The scoping mechanism: an unscoped query of tenant data is an error, not a leak."""

import pytest

from eyelevel.core.errors import NotFound
from eyelevel.core.tenancy import UnscopedQueryError, get_scoped
from eyelevel.customers.models import Customer
from tests.factories.customers import CustomerFactory


def test_a_query_without_an_organisation_refuses_to_run(org):
    CustomerFactory(organisation=org)
    with pytest.raises(UnscopedQueryError):
        list(Customer.objects.all())
    with pytest.raises(UnscopedQueryError):
        Customer.objects.filter(display_name__startswith="C").count()
    with pytest.raises(UnscopedQueryError):
        Customer.objects.exists()
    with pytest.raises(UnscopedQueryError):
        Customer.objects.update(display_name="x")
    with pytest.raises(UnscopedQueryError):
        Customer.objects.all().delete()


def test_a_scoped_query_sees_only_its_organisation(org, other_org):
    mine = CustomerFactory(organisation=org)
    CustomerFactory(organisation=other_org)
    assert list(Customer.objects.for_organisation(org)) == [mine]
    assert Customer.objects.for_organisation(org.pk).count() == 1


def test_get_scoped_gives_not_found_for_another_organisations_object(org, other_org):
    theirs = CustomerFactory(organisation=other_org)
    with pytest.raises(NotFound):
        get_scoped(Customer, organisation=org, pk=theirs.pk)
    assert get_scoped(Customer, organisation=other_org, pk=theirs.pk) == theirs


def test_related_querysets_are_scoped_by_their_parent(org):
    from django.utils import timezone

    from eyelevel.customers.models import LoginLink

    customer = CustomerFactory(organisation=org)
    LoginLink.objects.create(organisation=org, customer=customer, token_hash="a" * 64, expires_at=timezone.now())
    assert customer.login_links.count() == 1


def test_a_row_cannot_be_saved_without_an_organisation(db):
    with pytest.raises(UnscopedQueryError):
        Customer(display_name="nobody").save()
    with pytest.raises(UnscopedQueryError):
        Customer.objects.unscoped().bulk_create([Customer(display_name="nobody")])


def test_every_tenant_table_carries_its_organisation():
    from django.apps import apps

    from eyelevel.core.tenancy import TenantManager, TenantModel

    for model in apps.get_models():
        if model._meta.app_label in {"customers", "feedback", "commerce", "offers", "knowledge", "surveys",
                                     "relationships", "messaging"}:
            assert issubclass(model, TenantModel), f"{model._meta.label} must inherit TenantModel"
        if issubclass(model, TenantModel):
            assert isinstance(model._default_manager, TenantManager), f"{model._meta.label}: default manager"
            assert model._meta.get_field("organisation").is_relation
