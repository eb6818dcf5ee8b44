"""The charter's history: every saved change (who, when, why, what), published versions, and comparisons.

Every edit of the working charter is recorded as a change that holds the whole charter after it (a small JSON
document), so any two points in the history, changes or published versions, can be compared side by side.
Publishing stays the deliberate step that makes one of them the charter staff read.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.relationships.models import CharterChange, CharterVersion
from eyelevel.relationships.schemas import (
    Author,
    ChangeItem,
    CharterChangeDetail,
    CharterChangeOut,
    CharterChangePage,
    CharterComparison,
    CharterOut,
    CharterPoint,
    CharterVersionDetail,
    CharterVersionOut,
    DiffField,
    DiffItem,
)
from eyelevel.relationships.services.reading import (
    channel_label,
    dimension_label,
    get_charter,
    relationship_type_label,
)

CHANGES_PAGE_SIZE = 50
KIND_ORDER = {"value": 0, "segment": 1, "stage": 2, "touchpoint": 3, "expectation": 4}
SECTIONS = {"value": gettext_lazy("Values"), "segment": gettext_lazy("Segments"),
            "stage": gettext_lazy("Journey stages"), "touchpoint": gettext_lazy("Touchpoints"),
            "expectation": gettext_lazy("Expectations")}
KINDS = {"value": gettext_lazy("Value"), "segment": gettext_lazy("Segment"), "stage": gettext_lazy("Journey stage"),
         "touchpoint": gettext_lazy("Touchpoint"), "expectation": gettext_lazy("Expectation")}
STATUSES = {"added": gettext_lazy("added"), "removed": gettext_lazy("removed"), "changed": gettext_lazy("changed"),
            "unchanged": gettext_lazy("unchanged")}
FIELDS = {
    "name": gettext_lazy("Name"), "description": gettext_lazy("Description"), "needs": gettext_lazy("Needs"),
    "relationship_type": gettext_lazy("Relationship type"),
    "relationship_reason": gettext_lazy("Why this relationship"),
    "position": gettext_lazy("Position in the journey"), "journey_stage": gettext_lazy("Journey stage"),
    "expected_behaviour": gettext_lazy("Expected behaviour"), "communication": gettext_lazy("Communication"),
    "promise": gettext_lazy("Service-design promise"), "channels": gettext_lazy("Channels"),
    "values": gettext_lazy("Values served"), "segments": gettext_lazy("Segments"),
    "touchpoint": gettext_lazy("Touchpoint"), "dimension": gettext_lazy("Dimension"),
    "statement": gettext_lazy("Statement"),
}
REF = re.compile(r"(?P<kind>[vc]?)(?P<number>\d{1,9})")


# ---------------------------------------------------------------- comparing two charters


def _flatten(charter: CharterOut) -> dict[tuple[str, int], tuple[str, list[tuple[str, str]]]]:
    """Each charter item as (title, [(field code, text)]), keyed by (kind, id)."""
    value_names = {v.id: v.name for v in charter.values}
    segment_names = {s.id: s.name for s in charter.segments}
    items: dict[tuple[str, int], tuple[str, list[tuple[str, str]]]] = {}
    for v in charter.values:
        items[("value", v.id)] = (v.name, [("name", v.name), ("description", v.description)])
    for s in charter.segments:
        items[("segment", s.id)] = (s.name, [
            ("name", s.name), ("needs", s.needs), ("relationship_type", relationship_type_label(s.relationship_type)),
            ("relationship_reason", s.relationship_reason),
        ])
    for stage in charter.stages:
        items[("stage", stage.id)] = (stage.name, [("name", stage.name), ("position", str(stage.position))])
        for t in stage.touchpoints:
            items[("touchpoint", t.id)] = (t.name, [
                ("name", t.name), ("journey_stage", stage.name), ("expected_behaviour", t.expected_behaviour),
                ("communication", t.communication), ("promise", t.promise),
                ("channels", ", ".join(channel_label(c) for c in t.channels)),
                ("values", ", ".join(value_names.get(i, "?") for i in t.value_ids)),
                ("segments", ", ".join(segment_names.get(i, "?") for i in t.segment_ids)),
            ])
            for e in t.expectations:
                items[("expectation", e.id)] = (f"{t.name}: {e.statement}", [
                    ("touchpoint", t.name), ("dimension", dimension_label(e.dimension)), ("statement", e.statement),
                ])
    return items


def diff_charters(left: CharterOut, right: CharterOut) -> list[DiffItem]:
    """Every item of two charters side by side, marked added, removed, changed or unchanged."""
    before, after = _flatten(left), _flatten(right)
    keys = sorted(set(before) | set(after), key=lambda k: (KIND_ORDER[k[0]], k[1]))
    result = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        title, codes = (new or old)[0], [code for code, _text in (new or old)[1]]  # type: ignore[index]
        old_fields = dict(old[1]) if old else {}
        new_fields = dict(new[1]) if new else {}
        fields = [DiffField(field=code, label=str(FIELDS[code]), before=old_fields.get(code, ""),
                            after=new_fields.get(code, ""), changed=old_fields.get(code, "") != new_fields.get(code, ""))
                  for code in codes]
        if old is None:
            status = "added"
        elif new is None:
            status = "removed"
        else:
            status = "changed" if any(f.changed for f in fields) else "unchanged"
        result.append(DiffItem(kind=key[0], section=str(SECTIONS[key[0]]), title=title, status=status,
                               status_label=str(STATUSES[status]), fields=fields))
    return result


def _latest_version(organisation: Organisation | int) -> CharterVersion | None:
    return CharterVersion.objects.for_organisation(organisation).order_by("-number").first()


def pending_changes(*, organisation: Organisation | int, current: CharterOut | None = None) -> list[DiffItem]:
    """What the next publication would change against the latest version (everything, if none yet).

    current: the working charter when the caller has already read it (saves reading it again).
    """
    latest = _latest_version(organisation)
    before = CharterOut.model_validate(latest.snapshot) if latest else CharterOut(values=[], segments=[], stages=[])
    after = current if current is not None else get_charter(organisation=organisation)
    return [item for item in diff_charters(before, after) if item.status != "unchanged"]


# ---------------------------------------------------------------- recording changes


def require_why(why: str) -> str:
    """The reason for a change, stripped; a blank one is refused (the history must say why)."""
    why = (why or "").strip()
    if not why:
        raise InvalidInput(_("Say why you make this change: the charter's history keeps it with the change."),
                           field="why")
    return why


def _lock_charter(organisation: Organisation | int) -> None:
    """Hold the organisation's row until the transaction ends: one change or publication of its charter at a time.

    So change and version numbers follow each other, a change's "before" is exact, and a version links the change
    whose charter it froze. (A version row cannot be the lock: before the first publication there is none.)
    """
    list(Organisation.objects.select_for_update().filter(pk=organisation_id_of(organisation)).values_list("pk"))


@contextmanager
def recording_change(*, organisation: Organisation, author: Author, why: str) -> Iterator[None]:
    """Run an edit of the working charter and record it as a new change: who, when, why, what, the charter after.

    One transaction: an edit that fails records nothing, and a change is never recorded without its edit.
    An edit that leaves the charter as it was records no change.
    """
    why = require_why(why)
    with transaction.atomic():
        _lock_charter(organisation)
        last = (CharterChange.objects.for_organisation(organisation).order_by("-number")
                .values_list("number", "snapshot").first())
        # The previous change holds the charter before this edit; the first change reads it from the tables.
        before = last[1] if last else get_charter(organisation=organisation).model_dump(mode="json")
        yield
        current = get_charter(organisation=organisation)
        after = current.model_dump(mode="json")
        if after == before:
            return
        items = [item for item in diff_charters(CharterOut.model_validate(before), current)
                 if item.status != "unchanged"]
        CharterChange.objects.create(
            organisation=organisation, number=last[0] + 1 if last else 1, changed_by_id=author.user_id,
            changed_by_name=author.name[:150], why=why, snapshot=after,
            summary=[{"kind": i.kind, "title": i.title, "status": i.status,
                      "fields": [f.field for f in i.fields if f.changed] if i.status == "changed" else []}
                     for i in items],
        )


def _change_items(summary: list[dict[str, Any]]) -> list[ChangeItem]:
    return [ChangeItem(kind=item["kind"], kind_label=str(KINDS.get(item["kind"], item["kind"])), title=item["title"],
                       status=item["status"], status_label=str(STATUSES.get(item["status"], item["status"])),
                       fields=[str(FIELDS.get(code, code)) for code in item.get("fields", [])])
            for item in summary]


def _change_out(change: CharterChange, published_as: dict[int, int]) -> CharterChangeOut:
    return CharterChangeOut(id=change.pk, number=change.number, changed_at=change.changed_at,
                            changed_by_name=change.changed_by_name, why=change.why,
                            items=_change_items(change.summary), published_as=published_as.get(change.pk))


def _published_as(organisation: Organisation | int) -> dict[int, int]:
    """Each change's id that a version published, with that version's number."""
    return dict(CharterVersion.objects.for_organisation(organisation).filter(change__isnull=False)
                .values_list("change_id", "number"))


def list_changes(*, organisation: Organisation | int, page: int = 1,
                 page_size: int = CHANGES_PAGE_SIZE) -> CharterChangePage:
    """A page of the charter's changes, newest first, with who, when, why and what."""
    changes = CharterChange.objects.for_organisation(organisation).defer("snapshot").order_by("-number")
    window = page_window(total=changes.count(), page=page, page_size=page_size)
    published_as = _published_as(organisation)
    return CharterChangePage(items=[_change_out(c, published_as) for c in changes[window.start:window.stop]],
                             total=window.total, page=window.page, pages=window.pages)


def get_change(*, organisation: Organisation | int, charter_change_id: int) -> CharterChangeDetail:
    """One change with the charter as it stood after it, or NotFound."""
    change = get_scoped(CharterChange, organisation=organisation, pk=charter_change_id)
    return CharterChangeDetail(**_change_out(change, _published_as(organisation)).model_dump(),
                               charter=CharterOut.model_validate(change.snapshot))


# ---------------------------------------------------------------- published versions


def _version_out(version: CharterVersion, change_number: int | None = None) -> CharterVersionOut:
    return CharterVersionOut(id=version.pk, number=version.number, published_at=version.published_at,
                             published_by_name=version.published_by_name, reason=version.reason,
                             change_number=change_number)


def list_versions(*, organisation: Organisation | int) -> list[CharterVersionOut]:
    """Every published version, newest first (without their charters)."""
    rows = (CharterVersion.objects.for_organisation(organisation).order_by("-number")
            .values("pk", "number", "published_at", "published_by_name", "reason", "change__number"))
    return [CharterVersionOut(id=r["pk"], number=r["number"], published_at=r["published_at"],
                              published_by_name=r["published_by_name"], reason=r["reason"],
                              change_number=r["change__number"]) for r in rows]


def get_version(*, organisation: Organisation | int, charter_version_id: int) -> CharterVersionDetail:
    """One published version with its frozen charter, or NotFound."""
    version = get_scoped(CharterVersion, organisation=organisation, pk=charter_version_id)
    change_number = version.change.number if version.change_id else None
    return CharterVersionDetail(**_version_out(version, change_number).model_dump(),
                                charter=CharterOut.model_validate(version.snapshot))


def has_unpublished_changes(*, organisation: Organisation | int) -> bool:
    """Whether the working charter differs from the latest published version."""
    latest = _latest_version(organisation)
    current = get_charter(organisation=organisation).model_dump(mode="json")
    return latest is None or latest.snapshot != current


@transaction.atomic
def publish_charter(*, organisation: Organisation, user_id: int | None, user_name: str,
                    reason: str) -> CharterVersionOut:
    """Freeze the working charter as a new version, saying who published it and why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Say why this version is published."), field="reason")
    _lock_charter(organisation)
    latest = _latest_version(organisation)
    snapshot = get_charter(organisation=organisation).model_dump(mode="json")
    if latest is not None and latest.snapshot == snapshot:
        raise Conflict(_("Nothing changed since version %(number)s.") % {"number": latest.number})
    change = CharterChange.objects.for_organisation(organisation).order_by("-number").first()
    if change is not None and change.snapshot != snapshot:
        change = None  # the tables were changed without a recorded change: this version publishes no change
    version = CharterVersion.objects.create(
        organisation=organisation, number=(latest.number + 1) if latest else 1, published_by_id=user_id,
        published_by_name=user_name, reason=reason, snapshot=snapshot, change=change,
    )
    return _version_out(version, change.number if change else None)


# ---------------------------------------------------------------- any two points compared


def _point_for(organisation: Organisation | int, ref: str, field: str) -> tuple[CharterPoint, dict]:
    """The published version (v2, or a bare 2) or the change (c15) a reference names, with its charter."""
    match = REF.fullmatch(str(ref).strip().lower())
    if match is None:
        raise InvalidInput(_("Choose a published version (such as v2) or a change (such as c15)."), field=field)
    number = int(match["number"])
    if match["kind"] == "c":
        change = get_scoped(CharterChange, organisation=organisation, number=number)
        return CharterPoint(ref=f"c{number}", kind="change", number=number,
                            label=_("Change %(number)s") % {"number": number}, at=change.changed_at,
                            by_name=change.changed_by_name, why=change.why), change.snapshot
    version = get_scoped(CharterVersion, organisation=organisation, number=number)
    return CharterPoint(ref=f"v{number}", kind="version", number=number,
                        label=_("Version %(number)s") % {"number": number}, at=version.published_at,
                        by_name=version.published_by_name, why=version.reason), version.snapshot


def compare_versions(*, organisation: Organisation | int, left: str | int, right: str | int) -> CharterComparison:
    """Any two points of the charter's history (published versions or changes) compared item by item."""
    left_point, left_charter = _point_for(organisation, str(left), "left")
    right_point, right_charter = _point_for(organisation, str(right), "right")
    items = diff_charters(CharterOut.model_validate(left_charter), CharterOut.model_validate(right_charter))
    return CharterComparison(left=left_point, right=right_point, items=items,
                             changed_count=sum(1 for i in items if i.status != "unchanged"))


def list_points(*, organisation: Organisation | int) -> tuple[list[CharterPoint], list[CharterPoint]]:
    """What can be compared: the published versions and the changes, each newest first (without their charters)."""
    versions = [CharterPoint(ref=f"v{n}", kind="version", number=n, label=_("Version %(number)s") % {"number": n},
                             at=at, by_name=by, why=why)
                for n, at, by, why in CharterVersion.objects.for_organisation(organisation).order_by("-number")
                .values_list("number", "published_at", "published_by_name", "reason")]
    changes = [CharterPoint(ref=f"c{n}", kind="change", number=n, label=_("Change %(number)s") % {"number": n},
                            at=at, by_name=by, why=why)
               for n, at, by, why in CharterChange.objects.for_organisation(organisation).order_by("-number")
               .values_list("number", "changed_at", "changed_by_name", "why")]
    return versions, changes
