from django.urls import path

from eyelevel.knowledge.views import portal, public, staff

staff_patterns = (
    [
        path("", staff.article_list, name="list"),
        path("search/", staff.search, name="search"),
        path("suggest/", staff.suggest, name="suggest"),
        path("new/", staff.article_new, name="new"),
        path("measures/", staff.measures, name="measures"),
        path("quality/", staff.quality, name="quality"),
        path("<int:article_id>/", staff.article_detail, name="detail"),
        path("<int:article_id>/edit/", staff.article_edit, name="edit"),
        path("<int:article_id>/state/", staff.article_state, name="state"),
        path("<int:article_id>/publish/", staff.article_publish, name="publish"),
        path("<int:article_id>/flag/", staff.article_flag, name="flag"),
        path("<int:article_id>/review/", staff.article_review, name="review"),
        path("flags/<int:article_flag_id>/resolve/", staff.flag_resolve, name="resolve_flag"),
        path("from-feedback/<int:feedback_item_id>/", staff.from_feedback, name="from_feedback"),
        path("from-action/<int:action_id>/", staff.from_action, name="from_action"),
    ],
    "knowledge",
)
portal_patterns = (
    [
        path("", portal.home, name="home"),
        path("suggest/", portal.suggest, name="suggest"),
        path("<int:article_id>/", portal.article, name="article"),
        path("<int:article_id>/vote/", portal.vote, name="vote"),
    ],
    "knowledge_portal",
)
public_patterns = (
    [
        path("", public.home, name="home"),
        path("<int:article_id>/", public.article, name="article"),
    ],
    "knowledge_public",
)
