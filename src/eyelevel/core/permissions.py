"""Roles and what each may do, written down once and checked in one place."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eyelevel.core.errors import PermissionDenied


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    AGENT = "agent", _("Agent")
    ANALYST = "analyst", _("Analyst")


# Permission names: "<domain>.<verb>". Add new ones here and give them to roles below.
DASHBOARD_VIEW = "dashboard.view"
USERS_MANAGE = "users.manage"
SETTINGS_MANAGE = "settings.manage"
TOKENS_MANAGE = "tokens.manage"
CUSTOMERS_LIST = "customers.list"
CUSTOMERS_READ_PERSONAL = "customers.read_personal"
CUSTOMERS_EDIT = "customers.edit"
CUSTOMERS_ERASE = "customers.erase"
PURPOSES_MANAGE = "purposes.manage"
MESSAGES_SEND = "messages.send"
FEEDBACK_VIEW = "feedback.view"
FEEDBACK_HANDLE = "feedback.handle"
FEEDBACK_ASSIGN = "feedback.assign"
FEEDBACK_ROUTING = "feedback.routing"
COMMERCE_VIEW = "commerce.view"
COMMERCE_TILL = "commerce.till"
COMMERCE_MANAGE = "commerce.manage"
OFFERS_VIEW = "offers.view"
OFFERS_MANAGE = "offers.manage"
CHARTER_VIEW = "charter.view"
CHARTER_EDIT = "charter.edit"
SURVEYS_VIEW = "surveys.view"
SURVEYS_MANAGE = "surveys.manage"
SURVEYS_SELF_ASSESS = "surveys.self_assess"
KNOWLEDGE_VIEW = "knowledge.view"
KNOWLEDGE_WRITE = "knowledge.write"
KNOWLEDGE_VALIDATE = "knowledge.validate"
KNOWLEDGE_PUBLISH = "knowledge.publish"
INSIGHTS_VIEW = "insights.view"

_READ_ONLY = {
    DASHBOARD_VIEW,
    CUSTOMERS_LIST,
    FEEDBACK_VIEW,
    COMMERCE_VIEW,
    OFFERS_VIEW,
    CHARTER_VIEW,
    SURVEYS_VIEW,
    KNOWLEDGE_VIEW,
    INSIGHTS_VIEW,
}
_AGENT = _READ_ONLY | {
    CUSTOMERS_READ_PERSONAL,
    CUSTOMERS_EDIT,
    FEEDBACK_HANDLE,
    COMMERCE_TILL,
    KNOWLEDGE_WRITE,
    SURVEYS_SELF_ASSESS,
    MESSAGES_SEND,
}
_MANAGER = _AGENT | {
    FEEDBACK_ASSIGN,
    FEEDBACK_ROUTING,
    CUSTOMERS_ERASE,
    COMMERCE_MANAGE,
    OFFERS_MANAGE,
    SURVEYS_MANAGE,
    KNOWLEDGE_VALIDATE,
    KNOWLEDGE_PUBLISH,
}
_OWNER = _MANAGER | {USERS_MANAGE, SETTINGS_MANAGE, TOKENS_MANAGE, PURPOSES_MANAGE, CHARTER_EDIT}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.MANAGER: frozenset(_MANAGER),
    Role.AGENT: frozenset(_AGENT),
    Role.ANALYST: frozenset(_READ_ONLY | {SURVEYS_SELF_ASSESS}),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def role_has(role: str, permission: str) -> bool:
    """Whether the role includes the permission."""
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str | None, permission: str) -> None:
    """Raise PermissionDenied unless the role includes the permission."""
    if role is None or not role_has(role, permission):
        raise PermissionDenied(gettext("your role may not do this (%(permission)s)") % {"permission": permission})
