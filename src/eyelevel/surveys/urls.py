from django.urls import path

from eyelevel.surveys.views import portal, public, staff

staff_patterns = (
    [
        path("", staff.survey_list, name="list"),
        path("new/", staff.survey_create, name="create"),
        path("from-charter/", staff.survey_from_charter, name="from_charter"),
        path("gap/", staff.gap_report, name="gap_report"),
        path("gap/chart.svg", staff.gap_chart, name="gap_chart"),
        path("gap/bain.svg", staff.bain_chart, name="bain_chart"),
        path("gap/feedback.svg", staff.feedback_consistency_chart, name="feedback_consistency_chart"),
        path("<int:survey_id>/", staff.survey_detail, name="detail"),
        path("<int:survey_id>/questions/", staff.question_add, name="question_add"),
        path("questions/<int:question_id>/delete/", staff.question_remove, name="question_remove"),
        path("<int:survey_id>/status/", staff.survey_status, name="status"),
        path("<int:survey_id>/links/", staff.link_create, name="link_create"),
        path("links/<int:survey_link_id>/deactivate/", staff.link_deactivate, name="link_deactivate"),
        path("<int:survey_id>/invite/", staff.invite, name="invite"),
        path("invitations/<int:invitation_job_id>/", staff.invitation_job, name="invitation_job"),
        path("<int:survey_id>/self-assessment/", staff.self_assessment, name="self_assessment"),
        path("<int:survey_id>/responses/", staff.responses, name="responses"),
    ],
    "surveys",
)
portal_patterns = (
    [
        path("", portal.survey_list, name="list"),
        path("<int:survey_id>/", portal.answer, name="answer"),
    ],
    "surveys_portal",
)
# The link's token travels as ?k=..., so the page has one address and no guessable object id.
public_patterns = ([path("a/", public.answer, name="answer")], "surveys_public")
