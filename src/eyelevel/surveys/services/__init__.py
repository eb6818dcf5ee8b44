"""The surveys domain's public functions: surveys, links, responses, the gap report."""

from eyelevel.surveys.services.gap import bain_comparison, gap_report, touchpoint_consistency
from eyelevel.surveys.services.surveys import (
    SCALES,
    add_question,
    create_link,
    create_survey,
    create_survey_from_charter,
    deactivate_link,
    erase_customer_answers,
    export_customer_answers,
    get_link,
    get_survey,
    get_survey_for_customer,
    get_survey_for_link,
    has_self_assessed,
    invite_customers,
    list_links,
    list_responses,
    list_surveys,
    open_surveys_for_customer,
    remove_question,
    set_survey_status,
    submit_anonymous_response,
    submit_portal_response,
    submit_response,
    submit_self_assessment,
    survey_counts,
    survey_of_question,
    to_score,
)

__all__ = [
    "SCALES", "add_question", "bain_comparison", "create_link", "create_survey", "create_survey_from_charter", "deactivate_link",
    "erase_customer_answers", "export_customer_answers", "gap_report", "get_link", "get_survey", "get_survey_for_customer",
    "get_survey_for_link", "has_self_assessed", "invite_customers", "list_links", "list_responses", "list_surveys",
    "open_surveys_for_customer", "remove_question", "set_survey_status", "submit_anonymous_response",
    "submit_portal_response", "submit_response", "submit_self_assessment", "survey_counts", "survey_of_question", "to_score", "touchpoint_consistency",
]
