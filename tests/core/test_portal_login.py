"""Customers log into the portal by a one-time link (or a password); staff and customers stay apart."""

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from eyelevel.customers import services as customers
from eyelevel.customers.models import LoginLink
from tests.conftest import portal_client_for


def _link_from_outbox() -> str:
    assert mail.outbox, "no login email was sent"
    match = re.search(r"https?://[^/\s]+(/portal/login/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_a_login_link_logs_the_customer_in_once(customer, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/login/", {"email": "LENA@example.com"})
    assert response.status_code == 200
    assert b"LENA@example.com" in response.content
    assert mail.outbox[-1].to == ["lena@example.com"]
    assert "automatically" in mail.outbox[-1].body
    path = _link_from_outbox()
    # Opening the link (as a mail scanner would) does not use it up.
    assert client.get(path).status_code == 200
    assert client.get("/portal/").status_code == 302
    response = client.post(path)
    assert response.status_code == 302
    home = client.get("/portal/")
    assert home.status_code == 200
    assert b"Lena Becker" in home.content
    # The link works once.
    again = Client().post(path)
    assert again.status_code == 404


def test_an_expired_link_is_refused(customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/portal/login/", {"email": "lena@example.com"})
    LoginLink.objects.for_organisation(customer.organisation).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().post(_link_from_outbox())
    assert response.status_code == 404


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db):
    response = Client().post("/portal/login/", {"email": "nobody@example.com"})
    assert response.status_code == 200
    assert b"nobody@example.com" in response.content
    assert mail.outbox == []


def test_password_login(customer):
    customers.set_portal_password(organisation=customer.organisation, customer_id=customer.pk,
                                  password="a long portal password")
    client = Client()
    wrong = client.post("/portal/login/", {"email": "lena@example.com", "password": "not it at all"})
    assert wrong.status_code == 200
    assert client.get("/portal/").status_code == 302
    right = client.post("/portal/login/", {"email": "lena@example.com", "password": "a long portal password"})
    assert right.status_code == 302
    assert client.get("/portal/").status_code == 200


def test_a_customer_never_reaches_a_staff_page(customer):
    client = portal_client_for(customer)
    for path in ("/staff/", "/staff/customers/", f"/staff/customers/{customer.pk}/", "/staff/team/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/staff/login/")


def test_staff_need_a_portal_login_for_the_portal(owner_client):
    response = owner_client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_logout_ends_the_portal_session(customer_client):
    assert customer_client.get("/portal/").status_code == 200
    customer_client.post("/portal/logout/")
    assert customer_client.get("/portal/").status_code == 302


def test_repeated_portal_attempts_are_throttled(customer):
    from django.conf import settings

    customers.set_portal_password(organisation=customer.organisation, customer_id=customer.pk,
                                  password="a long portal password")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/portal/login/", {"email": "lena@example.com", "password": "guessing wrong"})
    locked = client.post("/portal/login/", {"email": "lena@example.com", "password": "a long portal password"})
    assert locked.status_code == 429
    assert client.get("/portal/").status_code == 302
    # Another address from elsewhere is not affected.
    assert Client(REMOTE_ADDR="10.9.8.7").post("/portal/login/", {"email": "x@example.com"}).status_code == 200


def test_login_link_requests_are_limited(customer, django_capture_on_commit_callbacks):
    from django.conf import settings

    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(settings.AXES_FAILURE_LIMIT + 3):
            client.post("/portal/login/", {"email": "lena@example.com"})
    assert len(mail.outbox) == settings.AXES_FAILURE_LIMIT
