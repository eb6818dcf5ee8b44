"""The knowledge domain's public functions (KCS articles, search, workflow, measures, portal)."""

from eyelevel.knowledge.services.articles import (
    ALLOWED_TRANSITIONS,
    allowed_transitions,
    create_article,
    get_article,
    get_portal_article,
    list_articles,
    may_fix,
    publish_article,
    transition_article,
    unpublish_article,
    update_article,
)
from eyelevel.knowledge.services.measures import (
    CHECKLIST,
    compute_measures,
    measures_chart_svg,
    pick_review_sample,
    recent_reviews,
    review_article,
)
from eyelevel.knowledge.services.portal import (
    erase_customer_data,
    export_customer_data,
    record_answered,
    record_suggestions_shown,
    record_view,
    vote_on_article,
)
from eyelevel.knowledge.services.search import forget_indexes, search_articles
from eyelevel.knowledge.services.workflow import (
    create_article_from_feedback,
    draft_from_feedback,
    flag_article,
    link_article_to_feedback,
    links_for_feedback,
    list_flags_for_owner,
    resolve_flag,
)

__all__ = [
    "ALLOWED_TRANSITIONS", "CHECKLIST", "allowed_transitions", "compute_measures", "create_article",
    "create_article_from_feedback", "draft_from_feedback", "erase_customer_data", "export_customer_data", "flag_article",
    "forget_indexes", "get_article", "get_portal_article", "link_article_to_feedback", "links_for_feedback",
    "list_articles", "list_flags_for_owner", "may_fix", "measures_chart_svg", "pick_review_sample",
    "publish_article", "recent_reviews", "record_answered", "record_suggestions_shown", "record_view", "resolve_flag",
    "review_article", "search_articles", "transition_article", "unpublish_article", "update_article",
    "vote_on_article",
]
