"""Owners manage staff and roles; what each role may do is enforced in one place."""

import pytest

from eyelevel.accounts import services
from eyelevel.accounts.models import Membership
from eyelevel.core.errors import Conflict, PermissionDenied
from eyelevel.core.permissions import ROLE_PERMISSIONS, Role, role_has


def test_roles_are_nested_from_analyst_to_owner():
    assert ROLE_PERMISSIONS[Role.ANALYST] - {"surveys.self_assess"} <= ROLE_PERMISSIONS[Role.AGENT]
    assert ROLE_PERMISSIONS[Role.AGENT] <= ROLE_PERMISSIONS[Role.MANAGER] <= ROLE_PERMISSIONS[Role.OWNER]
    assert role_has(Role.OWNER, "users.manage")
    assert not role_has(Role.MANAGER, "users.manage")
    assert not role_has(Role.ANALYST, "customers.read_personal")
    with pytest.raises(ValueError, match="unknown permission"):
        role_has(Role.OWNER, "no.such_permission")


def test_owner_adds_a_member_and_changes_the_role(owner_client, org):
    response = owner_client.post("/staff/team/", {"username": "newbie", "email": "newbie@example.com",
                                                  "role": "agent", "password": "a sturdy new password"})
    assert response.status_code == 302
    membership = Membership.objects.for_organisation(org).get(user__username="newbie")
    assert membership.role == "agent"
    owner_client.post(f"/staff/team/{membership.pk}/role/", {"role": "manager"})
    membership.refresh_from_db()
    assert membership.role == "manager"
    page = owner_client.get("/staff/team/")
    assert b"newbie" in page.content


def test_a_weak_password_is_refused_with_the_field_named(owner_client, org):
    response = owner_client.post("/staff/team/", {"username": "weak", "email": "weak@example.com",
                                                  "role": "agent", "password": "123"})
    assert response.status_code == 200
    assert b"password" in response.content.lower()
    assert not Membership.objects.for_organisation(org).filter(user__username="weak").exists()


def test_the_last_owner_cannot_be_demoted_or_removed(owner, org):
    acting = services.resolve_acting_staff(user_id=owner.pk, organisation_id=org.pk)
    membership = Membership.objects.for_organisation(org).get(user=owner)
    with pytest.raises(Conflict):
        services.change_role(organisation=org, actor=acting, membership_id=membership.pk, role="agent")
    with pytest.raises(Conflict):
        services.remove_member(organisation=org, actor=acting, membership_id=membership.pk)


def test_non_owners_cannot_manage_the_team(agent, manager_client, agent_client, org):
    assert agent_client.get("/staff/team/").status_code == 403
    assert manager_client.get("/staff/team/").status_code == 403
    acting = services.resolve_acting_staff(user_id=agent.pk, organisation_id=org.pk)
    with pytest.raises(PermissionDenied):
        services.add_member(organisation=org, actor=acting, username="x", email="x@example.com", role="agent")


def test_an_outsider_gets_404_for_a_membership(owner, outsider_client, org):
    membership = Membership.objects.for_organisation(org).get(user=owner)
    assert outsider_client.post(f"/staff/team/{membership.pk}/role/", {"role": "agent"}).status_code == 404
    assert outsider_client.post(f"/staff/team/{membership.pk}/remove/").status_code == 404
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_the_dashboard_shows_real_figures(owner_client, org):
    from tests.factories.customers import CustomerFactory

    CustomerFactory.create_batch(3, organisation=org)
    response = owner_client.get("/staff/")
    assert response.status_code == 200
    figures = response.content.decode()
    assert 'data-figure="customers-1"' in figures
    section = figures.split('data-figure="customers-1"')[1][:200]
    assert ">3<" in section


def test_a_member_of_two_organisations_switches_between_them(owner, org, other_org):
    from django.test import Client

    from tests.factories.accounts import MembershipFactory
    from tests.factories.customers import CustomerFactory

    MembershipFactory(organisation=other_org, user=owner, role="analyst")
    CustomerFactory(organisation=other_org, display_name="Only In Rival")
    client = Client()
    client.force_login(owner)
    first = client.get("/staff/customers/")
    assert b"Only In Rival" not in first.content
    assert b"organisation-select" in first.content
    client.post("/staff/organisation/", {"organisation_id": other_org.pk})
    second = client.get("/staff/customers/")
    assert b"Only In Rival" in second.content
    # The role follows the organisation: an analyst there may not manage the team.
    assert client.get("/staff/team/").status_code == 403
    # An organisation the user does not belong to cannot be chosen.
    from tests.factories.core import OrganisationFactory

    stranger = OrganisationFactory()
    client.post("/staff/organisation/", {"organisation_id": stranger.pk})
    assert client.get("/staff/customers/").status_code == 200
    assert b"Only In Rival" in client.get("/staff/customers/").content


def test_a_staff_page_loads_the_memberships_once(owner_client, other_org, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.accounts import MembershipFactory

    MembershipFactory(organisation=other_org, user=owner, role="agent")  # the switcher is shown
    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get("/staff/customers/")
    assert b"organisation-select" in response.content
    membership_reads = [q for q in queries.captured_queries
                        if 'FROM "accounts_membership"' in q["sql"] and "INNER JOIN" in q["sql"]]
    assert len(membership_reads) == 1
