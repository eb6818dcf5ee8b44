from django.urls import path

from eyelevel.accounts.views import staff

app_name = "accounts"
urlpatterns = [
    path("login/", staff.StaffLoginView.as_view(), name="login"),
    path("logout/", staff.StaffLogoutView.as_view(), name="logout"),
    path("organisation/", staff.switch_organisation, name="switch_organisation"),
    path("team/", staff.team, name="team"),
    path("team/<int:membership_id>/role/", staff.change_role, name="change_role"),
    path("team/<int:membership_id>/remove/", staff.remove_member, name="remove_member"),
    path("tokens/", staff.tokens, name="tokens"),
    path("tokens/<int:integrator_token_id>/revoke/", staff.revoke_token, name="revoke_token"),
]
