from django.urls import path

from eyelevel.feedback.views import portal, staff

staff_patterns = ([
    path("", staff.inbox, name="inbox"),
    path("items/<int:feedback_item_id>/", staff.item_detail, name="item"),
    path("items/<int:feedback_item_id>/label/", staff.correct_label, name="correct_label"),
    path("items/<int:feedback_item_id>/acknowledge/", staff.acknowledge, name="acknowledge"),
    path("items/<int:feedback_item_id>/assign/", staff.assign, name="assign"),
    path("items/<int:feedback_item_id>/notes/", staff.add_item_note, name="item_note"),
    path("actions/", staff.action_list, name="actions"),
    path("actions/new/", staff.action_create, name="action_create"),
    path("actions/<int:action_id>/", staff.action_detail, name="action"),
    path("actions/<int:action_id>/complete/", staff.action_complete, name="action_complete"),
    path("actions/<int:action_id>/notes/", staff.add_action_note, name="action_note"),
    path("routing/", staff.routing, name="routing"),
    path("routing/<int:routing_rule_id>/delete/", staff.routing_delete, name="routing_delete"),
    path("import/", staff.import_upload, name="import"),
    path("import/<int:import_job_id>/", staff.import_job, name="import_job"),
    path("import/<int:import_job_id>/rejects/", staff.import_rejects, name="import_rejects"),
    path("insights/", staff.insights_page, name="insights"),
], "feedback")
portal_patterns = ([
    path("", portal.my_feedback, name="mine"),
], "feedback_portal")
public_patterns = ([
    path("form/", portal.public_form, name="form"),
    path("we-did/", portal.we_did, name="we_did"),
], "feedback_public")
