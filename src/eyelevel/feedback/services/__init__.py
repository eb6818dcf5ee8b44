"""Feedback: intake from every channel, classification, routing, actions and closing the loop.

Other domains import only this package; its submodules hold the rules by topic.
"""

from eyelevel.feedback.services.actions import (
    acknowledge_item,
    action_item_ids,
    add_note,
    assign_item,
    check_note_text,
    complete_action,
    contempt_by_team,
    create_action,
    get_action,
    list_action_items,
    list_actions,
    list_customer_feedback,
    list_notes,
    list_public_actions,
    mark_solved,
)
from eyelevel.feedback.services.classification import (
    classify_text,
    classify_texts,
    correct_label,
    define_aspect,
    list_aspect_labels,
    retrain_organisation,
)
from eyelevel.feedback.services.consistency import sentiment_counts_by_group
from eyelevel.feedback.services.intake import (
    customer_ids_of_items,
    feedback_count,
    feedback_times_of_customers,
    get_feedback_item,
    list_feedback,
    public_form_token,
    record_feedback,
    record_feedback_batch,
    search_feedback,
    solved_count,
    submit_portal_feedback,
    submit_public_feedback,
)
from eyelevel.feedback.services.routing import (
    create_rule,
    delete_rule,
    escalate_overdue,
    list_deadlines,
    list_rules,
    set_deadline,
)

__all__ = [
    "acknowledge_item", "action_item_ids", "add_note", "assign_item", "check_note_text", "classify_text",
    "classify_texts", "complete_action", "contempt_by_team", "correct_label", "create_action", "create_rule", "customer_ids_of_items",
    "define_aspect", "delete_rule", "escalate_overdue", "feedback_count", "feedback_times_of_customers", "get_action", "get_feedback_item",
    "list_action_items", "list_actions", "list_aspect_labels", "list_customer_feedback", "list_deadlines", "list_feedback", "list_notes",
    "list_public_actions", "list_rules", "mark_solved", "public_form_token", "record_feedback",
    "record_feedback_batch", "retrain_organisation", "search_feedback", "sentiment_counts_by_group", "set_deadline", "solved_count", "submit_portal_feedback",
    "submit_public_feedback",
]
