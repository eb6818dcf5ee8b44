"""Typed readers for settings from the environment; a bad value stops start-up with its name."""

import os
from urllib.parse import parse_qs, unquote, urlparse

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingError(RuntimeError):
    """A setting from the environment is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable, or the default; without either, fail naming the variable."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise SettingError(f"{name}: this setting is required")
        return default
    return value


def env_bool(name: str, *, default: bool) -> bool:
    """Return a boolean from 1/0, true/false, yes/no, on/off."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingError(f"{name}: expected a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    """Return an integer, failing on anything that is not one."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name}: expected a whole number, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list, without empty entries."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
}


def parse_email_url(url: str) -> dict[str, object]:
    """Turn console://, locmem://, file:///dir or smtp[s]://user:pass@host:port into Django settings."""
    parsed = urlparse(url)
    if parsed.scheme not in _EMAIL_BACKENDS:
        raise SettingError(f"EMAIL_URL: unknown scheme {parsed.scheme!r}; use one of {', '.join(_EMAIL_BACKENDS)}")
    config: dict[str, object] = {"EMAIL_BACKEND": _EMAIL_BACKENDS[parsed.scheme]}
    if parsed.scheme == "file":
        if not parsed.path:
            raise SettingError("EMAIL_URL: file:// needs a folder, e.g. file:///var/mail/eyelevel")
        config["EMAIL_FILE_PATH"] = parsed.path
    if parsed.scheme in {"smtp", "smtps", "submission"}:
        if not parsed.hostname:
            raise SettingError("EMAIL_URL: smtp:// needs a host")
        options = parse_qs(parsed.query)
        config.update(
            EMAIL_HOST=parsed.hostname,
            EMAIL_PORT=parsed.port or {"smtp": 25, "smtps": 465, "submission": 587}[parsed.scheme],
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=parsed.scheme == "submission" or options.get("tls", ["0"])[0] in _TRUE,
        )
    return config


def env_email(name: str, default: str) -> dict[str, object]:
    """Return Django's email settings from an EMAIL_URL-style variable."""
    return parse_email_url(env_str(name, default))


def parse_cache_url(url: str) -> dict[str, dict[str, object]]:
    """Turn locmem://, db://table or file:///dir into Django's CACHES.

    The cache holds rate limits (the anonymous feedback form) and rebuilt reports: with several web processes,
    use a shared one (db:// or file://) so that a limit counts across processes.
    """
    parsed = urlparse(url)
    if parsed.scheme == "locmem":
        backend, location = "django.core.cache.backends.locmem.LocMemCache", parsed.netloc or "eyelevel"
    elif parsed.scheme == "db":
        if not parsed.netloc:
            raise SettingError("CACHE_URL: db:// needs a table name, e.g. db://eyelevel_cache")
        backend, location = "django.core.cache.backends.db.DatabaseCache", parsed.netloc
    elif parsed.scheme == "file":
        if not parsed.path:
            raise SettingError("CACHE_URL: file:// needs a folder, e.g. file:///var/cache/eyelevel")
        backend, location = "django.core.cache.backends.filebased.FileBasedCache", parsed.path
    else:
        raise SettingError(f"CACHE_URL: unknown scheme {parsed.scheme!r}; use locmem://, db://table or file:///dir")
    return {"default": {"BACKEND": backend, "LOCATION": location}}


def env_cache(name: str, default: str) -> dict[str, dict[str, object]]:
    """Return Django's CACHES from a CACHE_URL-style variable."""
    return parse_cache_url(env_str(name, default))
