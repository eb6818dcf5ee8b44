"""Invitations of customers to a survey: queued by staff, sent in the background through the message gate.

A customer is invited to a survey once at most: starting the same invitations again, or a worker running
a job twice, sends nothing twice. A refused invitation (no consent, a contact cap) is tried again next time.
"""

import re
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.customers import services as customers
from eyelevel.feedback import services as feedback
from eyelevel.messaging import services as messaging
from eyelevel.messaging.schemas import OutboundMessage
from eyelevel.surveys.models import InvitationJob, InvitationStatus, Survey, SurveyInvitation, SurveyStatus
from eyelevel.surveys.schemas import InvitationAudience, InvitationJobOut, InviteesIn

# Outcomes of one customer besides the gate's refusal kinds (consent, cap, address, purpose).
SENT, ALREADY_INVITED, NOT_FOUND = "sent", "already_invited", "not_found"
PROGRESS_EVERY = 10
AUDIENCE_PURPOSE, AUDIENCE_ALL, AUDIENCE_LIST = "purpose", "all", "list"
PASTED_SEPARATORS = re.compile(r"[\s,;]+")
UNKNOWN_SHOWN = 10


def _job_out(job: InvitationJob) -> InvitationJobOut:
    return InvitationJobOut(id=job.pk, survey_id=job.survey_id, status=job.status, total=job.total,
                            processed=job.processed, sent=job.sent, already_invited=job.already_invited,
                            refused=job.refused, refused_total=sum(job.refused.values()), error=job.error,
                            created_at=job.created_at, finished_at=job.finished_at)


def start_invitations(*, organisation: Organisation, survey_id: int, customer_ids: list[int], purpose_code: str,
                      sender_name: str, portal_url: str, user_id: int | None = None) -> InvitationJobOut:
    """Queue email invitations to a survey for the customers; a background task sends them through the gate."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id, for_customers=True)
    if survey.status != SurveyStatus.OPEN:
        raise Conflict(_("Open the survey before inviting customers."))
    ids = sorted(set(customer_ids))
    if not ids:
        raise InvalidInput(_("Choose at least one customer."), field="customer_ids")
    try:
        customers.get_purpose(organisation=organisation, code=purpose_code)
    except NotFound:
        raise _purpose_refused(purpose_code) from None
    job = InvitationJob.objects.create(organisation=organisation, survey=survey, purpose_code=purpose_code,
                                       sender_name=sender_name, portal_url=portal_url, customer_ids=ids,
                                       total=len(ids), created_by_id=user_id)
    from eyelevel.surveys.tasks import send_invitations_task

    transaction.on_commit(lambda: send_invitations_task.enqueue(invitation_job_id=job.pk))
    return _job_out(job)


def _purpose_refused(purpose_code: str) -> InvalidInput:
    return InvalidInput(_("No purpose %(code)s is declared: declare it, or choose a declared one.")
                        % {"code": purpose_code}, field="purpose_code")


def _pasted_customer_ids(organisation: Organisation, pasted: str) -> list[int]:
    """The customers named by pasted references or email addresses; refuses the list if any names nobody."""
    entries = list(dict.fromkeys(e for e in PASTED_SEPARATORS.split(pasted) if e))
    if not entries:
        raise InvalidInput(_("Paste at least one customer reference or email address."), field="customers")
    by_email = customers.customer_ids_by_email(organisation=organisation, emails=[e for e in entries if "@" in e])
    by_ref = customers.customer_ids_by_reference(organisation=organisation,
                                                 external_refs=[e for e in entries if "@" not in e])
    unknown = [e for e in entries if (e.lower() not in by_email if "@" in e else e not in by_ref)]
    if unknown:
        shown = ", ".join(unknown[:UNKNOWN_SHOWN]) + (" …" if len(unknown) > UNKNOWN_SHOWN else "")
        raise InvalidInput(_("No customer has these references or email addresses (%(count)s): %(entries)s")
                           % {"count": len(unknown), "entries": shown}, field="customers")
    return sorted(set(by_email.values()) | set(by_ref.values()))


def choose_invitees(*, organisation: Organisation, invitees: InviteesIn) -> list[int]:
    """The customers a choice of the invitation form names (ids in order), or InvalidInput naming the field."""
    if invitees.audience != AUDIENCE_LIST and invitees.customers.strip():
        # Pasted customers with "everyone" chosen is a slip that would invite far more people than meant.
        raise InvalidInput(_("You pasted customers: choose “only these customers”, or clear the list."),
                           field="audience")
    if invitees.audience == AUDIENCE_PURPOSE:
        try:
            ids = customers.customer_ids_for_purpose(organisation=organisation, purpose_code=invitees.purpose_code)
        except NotFound:
            raise _purpose_refused(invitees.purpose_code) from None
    elif invitees.audience == AUDIENCE_ALL:
        ids = customers.all_customer_ids(organisation=organisation)
    elif invitees.audience == AUDIENCE_LIST:
        ids = _pasted_customer_ids(organisation, invitees.customers)
    else:
        raise InvalidInput(_("Choose whom to invite."), field="audience")
    if invitees.feedback_days:
        until = timezone.now()
        recent = feedback.feedback_times_of_customers(organisation=organisation, customer_ids=ids,
                                                      since=until - timedelta(days=invitees.feedback_days),
                                                      until=until)
        ids = [customer_id for customer_id in ids if customer_id in recent]
    if not ids:
        raise InvalidInput(_("No customer matches this choice."), field="audience")
    return ids


def start_invitations_to(*, organisation: Organisation, survey_id: int, invitees: InviteesIn, sender_name: str,
                         portal_url: str, user_id: int | None = None) -> InvitationJobOut:
    """Queue invitations for every customer a choice names (all who consent, all, a pasted list), in the background."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id, for_customers=True)
    if survey.status != SurveyStatus.OPEN:
        raise Conflict(_("Open the survey before inviting customers."))
    ids = choose_invitees(organisation=organisation, invitees=invitees)
    return start_invitations(organisation=organisation, survey_id=survey_id, customer_ids=ids,
                             purpose_code=invitees.purpose_code, sender_name=sender_name, portal_url=portal_url,
                             user_id=user_id)


def invitation_audience(*, organisation: Organisation | int, survey_id: int,
                        purpose_code: str = "surveys") -> InvitationAudience:
    """How many customers each choice names, and how many were invited to the survey so far (count queries)."""
    try:
        for_purpose, declared = customers.customer_count_for_purpose(organisation=organisation,
                                                                     purpose_code=purpose_code), True
    except NotFound:
        for_purpose, declared = 0, False
    return InvitationAudience(
        purpose_code=purpose_code, purpose_declared=declared, for_purpose=for_purpose,
        all=customers.customer_count(organisation_id=organisation_id_of(organisation)),
        invited=SurveyInvitation.objects.for_organisation(organisation).filter(
            survey_id=survey_id, status=InvitationStatus.SENT).count(),
    )


def _invite(job: InvitationJob, customer_id: int) -> str:
    """Invite one customer unless they were invited to the survey before; returns the outcome."""
    organisation = job.organisation
    with transaction.atomic():
        try:
            # The customer's row stays locked until the invitation is recorded: two jobs never both send.
            customer = customers.lock_customer(organisation=organisation, customer_id=customer_id)
        except NotFound:  # erased since, or not the organisation's customer at all
            return NOT_FOUND
        invitations = SurveyInvitation.objects.for_organisation(organisation)
        earlier = invitations.filter(survey_id=job.survey_id, customer_id=customer_id).first()
        if earlier is not None and earlier.status == InvitationStatus.SENT:
            return SENT if earlier.job_id == job.pk else ALREADY_INVITED
        with translation.override(customer.language):  # the customer reads it in their language
            result = messaging.send_to_customer(organisation=organisation, message=OutboundMessage(
                customer_id=customer_id, purpose_code=job.purpose_code,
                subject=_("How did we do? %(title)s") % {"title": job.survey.title},
                body=_("We would like to know how you experience us. The survey takes a few minutes: %(url)s\n\n"
                       "Your answers are used to compare what we believe with what you experience.")
                % {"url": job.portal_url},
                reason=_("You are a customer of %(organisation)s and we ask our customers how they experience us.")
                % {"organisation": organisation.name},
                automated=False, sender_name=job.sender_name,
            ))
        sent = result.status == "sent"
        invitations.update_or_create(
            organisation=organisation, survey_id=job.survey_id, customer_id=customer_id,
            defaults={"job": job, "status": InvitationStatus.SENT if sent else InvitationStatus.REFUSED,
                      "refused_by": result.refused_by, "message_ref": result.message_id})
        return SENT if sent else (result.refused_by or "other")


def _save(job_id: int, outcomes: Counter, **fields: object) -> None:
    refused = {kind: n for kind, n in sorted(outcomes.items()) if kind not in (SENT, ALREADY_INVITED)}
    InvitationJob.objects.unscoped().filter(pk=job_id).update(
        processed=sum(outcomes.values()), sent=outcomes[SENT], already_invited=outcomes[ALREADY_INVITED],
        refused=refused, **fields)


def run_invitations(*, invitation_job_id: int) -> InvitationJobOut:
    """Send a queued job's invitations one customer at a time, reporting progress on the job as it goes."""
    job = InvitationJob.objects.unscoped().select_related("organisation", "survey").get(pk=invitation_job_id)
    outcomes: Counter = Counter()
    _save(job.pk, outcomes, status="running", error="", finished_at=None)
    try:
        for number, customer_id in enumerate(job.customer_ids, start=1):
            outcomes[_invite(job, customer_id)] += 1
            if number % PROGRESS_EVERY == 0:
                _save(job.pk, outcomes)
    except Exception as error:
        # The page says the job failed and how far it got; what was sent stays recorded, so a new start goes on.
        _save(job.pk, outcomes, status="failed", error=str(error)[:1000], finished_at=timezone.now())
        raise
    _save(job.pk, outcomes, status="done", finished_at=timezone.now())
    job.refresh_from_db()
    return _job_out(job)


def get_invitation_job(*, organisation: Organisation | int, invitation_job_id: int) -> InvitationJobOut:
    """An invitation job's progress and report, or NotFound."""
    return _job_out(get_scoped(InvitationJob, organisation=organisation, pk=invitation_job_id))


def list_invitation_jobs(*, organisation: Organisation | int, survey_id: int, limit: int = 5) -> list[InvitationJobOut]:
    """The survey's newest invitation jobs."""
    jobs = InvitationJob.objects.for_organisation(organisation).filter(survey_id=survey_id)
    return [_job_out(job) for job in jobs[:limit]]


def invited_customer_ids(*, organisation: Organisation | int, survey_id: int, customer_ids: list[int]) -> set[int]:
    """Which of these customers have been invited to the survey (one query)."""
    return set(SurveyInvitation.objects.for_organisation(organisation).filter(
        survey_id=survey_id, customer_id__in=customer_ids, status=InvitationStatus.SENT)
        .values_list("customer_id", flat=True))


def export_customer_invitations(organisation_id: int, customer_id: int) -> list[dict]:
    """The surveys a customer was invited to, for their data export."""
    rows = (SurveyInvitation.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
            .values("survey__title", "status", "refused_by", "updated_at"))
    return [{"survey": row["survey__title"], "status": row["status"], "refused_by": row["refused_by"],
             "at": row["updated_at"].isoformat()} for row in rows]


def erase_customer_invitations(organisation_id: int, customer_id: int) -> int:
    """Delete the record of a customer's invitations; returns how many."""
    return SurveyInvitation.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()[0]
