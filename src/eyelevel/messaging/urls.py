from django.urls import path

from eyelevel.messaging.views import portal, staff

staff_patterns = ([path("caps/", staff.caps, name="caps")], "messaging")
portal_patterns = ([path("", portal.messages, name="messages")], "messaging_portal")
public_patterns = ([path("unsubscribe/", portal.unsubscribe, name="unsubscribe")], "messaging_public")
