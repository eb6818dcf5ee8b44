"""Staff pages for the relationship charter (thin: every rule lives in services)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.permissions import CHARTER_EDIT, CHARTER_VIEW, role_has
from eyelevel.core.web import render_page, staff_required
from eyelevel.relationships import export, services
from eyelevel.relationships.schemas import (
    Author,
    ExpectationIn,
    JourneyStageIn,
    SegmentIn,
    TouchpointIn,
    ValueIn,
)

RECENT_CHANGES = 5


def _parse(schema: type, data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """Build an input schema from form data, or return the errors per field."""
    try:
        return schema(**data), {}
    except ValidationError as exc:
        return None, {str(e["loc"][0]) if e["loc"] else "__all__": e["msg"] for e in exc.errors()}


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def _author(request: HttpRequest) -> Author:
    return Author(user_id=request.staff.user_id, name=request.staff.username)


def _page(request: HttpRequest) -> int:
    page = request.GET.get("page", "1")
    return int(page) if page.isdigit() else 1


def _choices() -> dict[str, Any]:
    return {"relationship_types": services.relationship_type_choices(), "channels": services.channel_choices(),
            "dimensions": services.dimension_choices()}


@staff_required(CHARTER_VIEW)
def charter(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    current = services.get_charter(organisation=organisation)
    context = {
        "charter": current,
        "issues": services.check_charter(current),
        "versions": services.list_versions(organisation=organisation),
        "pending": services.pending_changes(organisation=organisation, current=current),
        "changes": services.list_changes(organisation=organisation, page_size=RECENT_CHANGES),
        "may_edit": role_has(request.staff.role, CHARTER_EDIT),
        "segment_types": {s.id: services.relationship_type_label(s.relationship_type) for s in current.segments},
        "value_names": {v.id: v.name for v in current.values},
        "channel_labels": {c.code: c.label for c in services.channel_choices()},
        **_choices(),
    }
    return render_page(request, "relationships/charter.html", context)


def _back_to_charter(anchor: str = "") -> HttpResponse:
    return redirect(reverse("relationships:charter") + (f"#{anchor}" if anchor else ""))


# ---------------------------------------------------------------- values, segments, journey stages


@dataclass(frozen=True)
class _Part:
    """One kind of charter item with a form page of its own: how to read, save and delete it."""

    name: str  # the template's context name and the URL names' prefix ("value" -> "relationships:value_edit")
    id_kwarg: str  # the services' and URLs' keyword for its id
    schema: type
    fields: tuple[str, ...]
    get: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    saved: str
    deleted: str
    anchor: str
    with_choices: bool = False


VALUE = _Part("value", "value_id", ValueIn, ("name", "description"), services.get_value, services.create_value,
              services.update_value, services.delete_value, gettext_lazy("Value saved."),
              gettext_lazy("Value deleted."), "values")
SEGMENT = _Part("segment", "segment_id", SegmentIn, ("name", "needs", "relationship_type", "relationship_reason"),
                services.get_segment, services.create_segment, services.update_segment, services.delete_segment,
                gettext_lazy("Segment saved."), gettext_lazy("Segment deleted."), "segments", with_choices=True)
STAGE = _Part("stage", "journey_stage_id", JourneyStageIn, ("name", "position"), services.get_journey_stage,
              services.create_journey_stage, services.update_journey_stage, services.delete_journey_stage,
              gettext_lazy("Journey stage saved."), gettext_lazy("Journey stage deleted."), "journey")
# Touchpoints share the delete; their form (stages, channels, values, segments, expectations) has its own view.
TOUCHPOINT = _Part("touchpoint", "touchpoint_id", TouchpointIn, (), services.get_touchpoint,
                   services.create_touchpoint, services.update_touchpoint, services.delete_touchpoint,
                   gettext_lazy("Touchpoint saved."), gettext_lazy("Touchpoint deleted."), "journey")


def _edit(request: HttpRequest, part: _Part, item_id: int | None) -> HttpResponse:
    """The create/edit form of a value, segment or journey stage; a refused input is shown per field, unsaved."""
    organisation = request.organisation
    item = part.get(organisation=organisation, **{part.id_kwarg: item_id}) if item_id else None
    errors: dict[str, str] = {}
    form = {k: getattr(item, k) for k in part.fields} if item else dict.fromkeys(part.fields, "")
    form["why"] = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in (*part.fields, "why")}
        # An empty optional number (a stage's position) means "not given", not an invalid number.
        data, errors = _parse(part.schema, {k: (v if v or k != "position" else None) for k, v in form.items()})
        if data is not None:
            try:
                if item:
                    part.update(organisation=organisation, data=data, author=_author(request),
                                **{part.id_kwarg: item.id})
                else:
                    part.create(organisation=organisation, data=data, author=_author(request))
            except InvalidInput as exc:
                errors = {exc.field or "__all__": exc.detail}
            else:
                messages.success(request, part.saved)
                return _back_to_charter(part.anchor)
    context = {part.name: item, "form": form, "errors": errors, **(_choices() if part.with_choices else {})}
    return render_page(request, f"relationships/{part.name}_form.html", context, status=422 if errors else 200)


def _delete(request: HttpRequest, part: _Part, item_id: int) -> HttpResponse:
    """Delete a charter item on POST, saying why (a GET goes to its form); a refusal is shown, nothing deleted."""
    part.get(organisation=request.organisation, **{part.id_kwarg: item_id})
    edit_page = reverse(f"relationships:{part.name}_edit", kwargs={part.id_kwarg: item_id})
    if request.method != "POST":
        return redirect(edit_page)
    try:
        part.delete(organisation=request.organisation, author=_author(request), why=request.POST.get("why", ""),
                    **{part.id_kwarg: item_id})
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return redirect(edit_page + "#delete")
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, part.deleted)
    return _back_to_charter(part.anchor)


@staff_required(CHARTER_EDIT)
def value_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, VALUE, None)


@staff_required(CHARTER_EDIT)
def value_edit(request: HttpRequest, value_id: int) -> HttpResponse:
    return _edit(request, VALUE, value_id)


@staff_required(CHARTER_EDIT)
def value_delete(request: HttpRequest, value_id: int) -> HttpResponse:
    return _delete(request, VALUE, value_id)


@staff_required(CHARTER_EDIT)
def segment_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, SEGMENT, None)


@staff_required(CHARTER_EDIT)
def segment_edit(request: HttpRequest, segment_id: int) -> HttpResponse:
    return _edit(request, SEGMENT, segment_id)


@staff_required(CHARTER_EDIT)
def segment_delete(request: HttpRequest, segment_id: int) -> HttpResponse:
    return _delete(request, SEGMENT, segment_id)


@staff_required(CHARTER_EDIT)
def stage_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, STAGE, None)


@staff_required(CHARTER_EDIT)
def stage_edit(request: HttpRequest, journey_stage_id: int) -> HttpResponse:
    return _edit(request, STAGE, journey_stage_id)


@staff_required(CHARTER_EDIT)
def stage_delete(request: HttpRequest, journey_stage_id: int) -> HttpResponse:
    return _delete(request, STAGE, journey_stage_id)


# ---------------------------------------------------------------- touchpoints and expectations


@staff_required(CHARTER_EDIT)
def touchpoint_create(request: HttpRequest) -> HttpResponse:
    return _touchpoint_form(request, None)


@staff_required(CHARTER_EDIT)
def touchpoint_edit(request: HttpRequest, touchpoint_id: int) -> HttpResponse:
    return _touchpoint_form(request, touchpoint_id)


def _touchpoint_form(request: HttpRequest, touchpoint_id: int | None) -> HttpResponse:
    organisation = request.organisation
    touchpoint = (services.get_touchpoint_detail(organisation=organisation, touchpoint_id=touchpoint_id)
                  if touchpoint_id else None)
    current = services.get_charter(organisation=organisation)
    errors: dict[str, str] = {}
    if touchpoint:
        form: dict[str, Any] = {**touchpoint.model_dump(), "why": ""}
    else:
        stage = request.GET.get("stage", "")
        form = {"name": "", "journey_stage_id": int(stage) if stage.isdigit() else None, "expected_behaviour": "",
                "communication": "", "promise": "", "channels": [], "value_ids": [], "segment_ids": [], "why": ""}
    if request.method == "POST":
        form = {
            "name": request.POST.get("name", ""),
            "journey_stage_id": request.POST.get("journey_stage_id", ""),
            "expected_behaviour": request.POST.get("expected_behaviour", ""),
            "communication": request.POST.get("communication", ""),
            "promise": request.POST.get("promise", ""),
            "channels": request.POST.getlist("channels"),
            "value_ids": _ints(request.POST.getlist("value_ids")),
            "segment_ids": _ints(request.POST.getlist("segment_ids")),
            "why": request.POST.get("why", ""),
        }
        data, errors = _parse(TouchpointIn, form)
        if data is not None:
            try:
                if touchpoint:
                    saved = services.update_touchpoint(organisation=organisation, touchpoint_id=touchpoint.id,
                                                       data=data, author=_author(request))
                else:
                    saved = services.create_touchpoint(organisation=organisation, data=data, author=_author(request))
            except InvalidInput as exc:
                errors = {exc.field or "__all__": exc.detail}
            else:
                messages.success(request, TOUCHPOINT.saved)
                return redirect("relationships:touchpoint_edit", touchpoint_id=saved.id)
        form["journey_stage_id"] = int(form["journey_stage_id"]) if str(form["journey_stage_id"]).isdigit() else None
    context = {"touchpoint": touchpoint, "form": form, "errors": errors, "charter": current, **_choices()}
    return render_page(request, "relationships/touchpoint_form.html", context, status=422 if errors else 200)


@staff_required(CHARTER_EDIT)
def touchpoint_delete(request: HttpRequest, touchpoint_id: int) -> HttpResponse:
    return _delete(request, TOUCHPOINT, touchpoint_id)


@staff_required(CHARTER_EDIT)
def expectation_add(request: HttpRequest, touchpoint_id: int) -> HttpResponse:
    services.get_touchpoint(organisation=request.organisation, touchpoint_id=touchpoint_id)
    if request.method == "POST":
        data, errors = _parse(ExpectationIn, {"dimension": request.POST.get("dimension", ""),
                                              "statement": request.POST.get("statement", ""),
                                              "why": request.POST.get("why", "")})
        try:
            if data is None:
                raise InvalidInput("; ".join(f"{k}: {v}" for k, v in errors.items()))
            services.add_expectation(organisation=request.organisation, touchpoint_id=touchpoint_id, data=data,
                                     author=_author(request))
        except InvalidInput as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Expectation added."))
    return redirect(reverse("relationships:touchpoint_edit", kwargs={"touchpoint_id": touchpoint_id}) + "#expectations")


@staff_required(CHARTER_EDIT)
def expectation_delete(request: HttpRequest, expectation_id: int) -> HttpResponse:
    expectation = services.get_expectation(organisation=request.organisation, expectation_id=expectation_id)
    if request.method == "POST":
        try:
            services.delete_expectation(organisation=request.organisation, expectation_id=expectation_id,
                                        author=_author(request), why=request.POST.get("why", ""))
        except InvalidInput as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Expectation deleted."))
    return redirect(reverse("relationships:touchpoint_edit", kwargs={"touchpoint_id": expectation.touchpoint_id})
                    + "#expectations")


# ---------------------------------------------------------------- versions


@staff_required(CHARTER_EDIT)
def publish(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            version = services.publish_charter(organisation=request.organisation, user_id=request.staff.user_id,
                                               user_name=request.staff.username,
                                               reason=request.POST.get("reason", ""))
        except (InvalidInput, Conflict) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Version %(number)s published.") % {"number": version.number})
            return redirect("relationships:version_detail", charter_version_id=version.id)
    return _back_to_charter("publish")


@staff_required(CHARTER_VIEW)
def version_list(request: HttpRequest) -> HttpResponse:
    """The charter's history: published versions, and every change with who, when, why and what."""
    organisation = request.organisation
    versions, changes = services.list_points(organisation=organisation)
    return render_page(request, "relationships/versions.html", {
        "versions": services.list_versions(organisation=organisation),
        "changes": services.list_changes(organisation=organisation, page=_page(request)),
        "version_points": versions, "change_points": changes, "sides": _sides(_default_pair(versions, changes)),
    })


@staff_required(CHARTER_VIEW)
def version_detail(request: HttpRequest, charter_version_id: int) -> HttpResponse:
    version = services.get_version(organisation=request.organisation, charter_version_id=charter_version_id)
    versions = services.list_versions(organisation=request.organisation)
    return render_page(request, "relationships/version_detail.html", {
        "version": version, "versions": versions, "issues": services.check_charter(version.charter),
        "value_names": {v.id: v.name for v in version.charter.values},
        "segment_types": {s.id: services.relationship_type_label(s.relationship_type)
                          for s in version.charter.segments},
        "channel_labels": {c.code: c.label for c in services.channel_choices()},
    })


def _default_pair(versions: list, changes: list) -> dict[str, str]:
    """What to compare when nothing is chosen: the two latest versions, else the latest change with what came before."""
    if len(versions) >= 2:
        return {"left": versions[1].ref, "right": versions[0].ref}
    if changes:
        before = versions[0].ref if versions else (changes[1].ref if len(changes) > 1 else "")
        return {"left": before, "right": changes[0].ref} if before else {"left": "", "right": ""}
    return {"left": "", "right": ""}


def _sides(chosen: dict[str, str]) -> list[tuple[str, str]]:
    return [("left", chosen["left"]), ("right", chosen["right"])]


@staff_required(CHARTER_VIEW)
def compare(request: HttpRequest) -> HttpResponse:
    """Any two published versions or changes side by side, the differences highlighted."""
    organisation = request.organisation
    versions, changes = services.list_points(organisation=organisation)
    chosen = {"left": request.GET.get("left", ""), "right": request.GET.get("right", "")}
    if not (chosen["left"] and chosen["right"]):
        chosen = _default_pair(versions, changes)
    comparison, errors = None, {}
    if chosen["left"] and chosen["right"]:
        try:
            comparison = services.compare_versions(organisation=organisation, left=chosen["left"],
                                                   right=chosen["right"])
        except InvalidInput as exc:
            errors = {exc.field or "__all__": exc.detail}
        else:
            chosen = {"left": comparison.left.ref, "right": comparison.right.ref}
    return render_page(request, "relationships/compare.html", {
        "version_points": versions, "change_points": changes, "comparison": comparison, "errors": errors,
        "show_all": request.GET.get("all") == "1", "sides": _sides(chosen),
    }, status=422 if errors else 200)


@csp_update({"style-src": [export.STYLE_HASH]})
@staff_required(CHARTER_VIEW)
def export_current(request: HttpRequest) -> HttpResponse:
    return _export(request, None)


@csp_update({"style-src": [export.STYLE_HASH]})
@staff_required(CHARTER_VIEW)
def export_version(request: HttpRequest, charter_version_id: int) -> HttpResponse:
    return _export(request, charter_version_id)


def _export(request: HttpRequest, charter_version_id: int | None) -> HttpResponse:
    language = request.GET.get("lang", "en")
    html, stem = export.charter_document(organisation=request.organisation, charter_version_id=charter_version_id,
                                         language=language if language in export.LANGUAGES else "en")
    if request.GET.get("format") == "pdf":
        response = HttpResponse(export.charter_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{stem}.html"'
    return response
