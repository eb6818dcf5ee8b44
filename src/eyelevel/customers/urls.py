from django.urls import path

from eyelevel.customers.views import portal, staff

staff_patterns = (
    [
        path("", staff.customer_list, name="list"),
        path("<int:customer_id>/", staff.customer_detail, name="detail"),
        path("<int:customer_id>/export/", staff.customer_export, name="export"),
        path("<int:customer_id>/consent/", staff.customer_consent, name="consent"),
        path("<int:customer_id>/facts/", staff.customer_fact, name="fact"),
        path("<int:customer_id>/erase/", staff.customer_erase, name="erase"),
        path("purposes/", staff.purposes, name="purposes"),
        path("purposes/<int:purpose_id>/", staff.purpose_edit, name="purpose_edit"),
        path("webhooks/", staff.webhooks, name="webhooks"),
        path("webhooks/<int:webhook_endpoint_id>/", staff.webhook_detail, name="webhook_detail"),
    ],
    "customers",
)

portal_patterns = (
    [
        path("", portal.home, name="home"),
        path("login/", portal.login, name="login"),
        path("login/<str:token>/", portal.login_link, name="login_link"),
        path("logout/", portal.logout, name="logout"),
        path("my-data/", portal.my_data, name="my_data"),
        path("my-data/identity/", portal.identity_correct, name="identity_correct"),
        path("my-data/facts/<int:personal_fact_id>/", portal.fact_correct, name="fact_correct"),
        path("consents/", portal.consents, name="consents"),
        path("access-log/", portal.access_log, name="access_log"),
        path("export/", portal.export, name="export"),
        path("export/download/", portal.export_download, name="export_download"),
        path("erase/", portal.erase, name="erase"),
    ],
    "portal",
)
