"""Security basics: CSP, CSRF, escaping, login throttling, Argon2 in production."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories.customers import CustomerFactory


def test_pages_carry_a_content_security_policy(db, client):
    response = client.get("/staff/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_forms_refuse_posts_without_a_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_user_text_is_never_rendered_unescaped(org, agent_client):
    hostile = '<script>alert("owned")</script>'
    customer = CustomerFactory(organisation=org, display_name=hostile)
    response = agent_client.get("/staff/customers/")
    assert hostile.encode() not in response.content
    assert b"&lt;script&gt;" in response.content
    assert customer.pk


def test_repeated_failed_logins_lock_the_account(db, owner):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/login/", {"username": "owner", "password": "wrong password"})
    locked = client.post("/staff/login/", {"username": "owner", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_production_hashes_passwords_with_argon2():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"EYELEVEL_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env["DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", "from eyelevel import settings; print(settings.PASSWORD_HASHERS[0])"],
        capture_output=True, text=True, env=env, check=True, timeout=60,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize("path", ["/staff/", "/staff/customers/", "/staff/team/"])
def test_staff_pages_need_a_staff_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
