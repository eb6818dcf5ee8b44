from django.urls import path

from eyelevel.customers.views import portal, staff

staff_patterns = (
    [
        path("", staff.customer_list, name="list"),
        path("<int:customer_id>/", staff.customer_detail, name="detail"),
    ],
    "customers",
)

portal_patterns = (
    [
        path("", portal.home, name="home"),
        path("login/", portal.login, name="login"),
        path("login/<str:token>/", portal.login_link, name="login_link"),
        path("logout/", portal.logout, name="logout"),
    ],
    "portal",
)
