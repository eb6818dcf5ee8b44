"""Settings from the environment fail fast and name the variable; production settings pass --deploy."""

import os
import subprocess
import sys

import pytest

from eyelevel.core.env import SettingError, env_bool, env_int, parse_cache_url, parse_email_url


def test_a_malformed_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(SettingError, match="SOME_FLAG"):
        env_bool("SOME_FLAG", default=False)


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(SettingError, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_email_urls_become_django_settings():
    smtp = parse_email_url("submission://mailer:s%40cret@mail.example.org")
    assert smtp["EMAIL_HOST"] == "mail.example.org"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_USE_TLS"] is True
    assert smtp["EMAIL_HOST_PASSWORD"] == "s@cret"
    assert parse_email_url("file:///var/mail")["EMAIL_FILE_PATH"] == "/var/mail"
    with pytest.raises(SettingError, match="EMAIL_URL"):
        parse_email_url("carrier-pigeon://loft")


def _run_check(extra_env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = {key: value for key, value in os.environ.items()
           if key not in {"DEBUG", "EYELEVEL_TESTING", "DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                          "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}", "EYELEVEL_DATA_DIR": str(tmp_path)})
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "eyelevel", "check", "--deploy", "--fail-level", "WARNING"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _run_check({"SECRET_KEY": "x" * 20 + "production-secret-with-enough-entropy-" + "y" * 20,
                         "ALLOWED_HOSTS": "crm.example.org"}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_check({"ALLOWED_HOSTS": "crm.example.org"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_cache_urls_become_django_settings():
    assert parse_cache_url("locmem://")["default"]["BACKEND"].endswith("LocMemCache")
    database = parse_cache_url("db://eyelevel_cache")["default"]
    assert (database["BACKEND"], database["LOCATION"]) == ("django.core.cache.backends.db.DatabaseCache",
                                                         "eyelevel_cache")
    assert parse_cache_url("file:///var/cache/eyelevel")["default"]["LOCATION"] == "/var/cache/eyelevel"
    for bad in ("memcached://host", "db://", "file://"):
        with pytest.raises(SettingError, match="CACHE_URL"):
            parse_cache_url(bad)


def test_a_database_cache_is_shared_between_processes(tmp_path):
    """What one web process counts (e.g. the anonymous form's rate limit), another sees."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"EYELEVEL_TESTING", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update({"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'cache.sqlite3'}",
                "EYELEVEL_DATA_DIR": str(tmp_path), "CACHE_URL": "db://eyelevel_cache"})

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "eyelevel", *args], capture_output=True, text=True, env=env,
                                timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("createcachetable")
    run("shell", "-c", "from django.core.cache import cache; cache.set('limit:203.0.113.7', 5, 3600)")
    assert run("shell", "-c", "from django.core.cache import cache; print(cache.get('limit:203.0.113.7'))").splitlines()[-1] == "5"
