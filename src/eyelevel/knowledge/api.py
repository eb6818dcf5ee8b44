"""Knowledge articles and search over the API (thin: every rule lives in services)."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from eyelevel.knowledge import services
from eyelevel.knowledge.schemas import ArticleIn, ArticleOut, ArticlePage, SearchHitOut

router = Router(tags=["knowledge"])


class ArticleFilter(Schema):
    state: str = Field("", pattern="^(|wip|not_validated|validated|archived)$")
    q: str = ""
    page: int = 1
    published: bool = False


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=1000)
    k: int = Field(5, ge=1, le=50)
    audience: str = Field("staff", pattern="^(staff|portal)$",
                          description="staff: every article not archived; portal: what customers see")
    language: str = Field("", pattern="^(|en|de)$")


@router.get("/articles", response=ArticlePage, summary="List articles")
def list_articles(request: HttpRequest, filters: Query[ArticleFilter]) -> ArticlePage:
    return services.list_articles(organisation=request.organisation, state=filters.state, query=filters.q,
                                  page=filters.page, portal_only=filters.published)


@router.post("/articles", response={201: ArticleOut}, summary="Create an article (work in progress)")
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[ArticleOut]:
    return Status(201, services.create_article(organisation=request.organisation, actor=None, data=payload))


@router.get("/articles/{article_id}", response=ArticleOut, summary="Get an article")
def get_article(request: HttpRequest, article_id: int) -> ArticleOut:
    return services.get_article(organisation=request.organisation, article_id=article_id)


@router.put("/articles/{article_id}", response=ArticleOut,
            summary="Replace an article's content (not validated ones: those are fixed by licensed staff)")
def update_article(request: HttpRequest, article_id: int, payload: ArticleIn) -> ArticleOut:
    return services.update_article(organisation=request.organisation, actor=None, article_id=article_id,
                                   data=payload)


@router.get("/search", response=list[SearchHitOut], summary="Search articles by meaning and keywords")
def search(request: HttpRequest, params: Query[SearchQuery]) -> list[SearchHitOut]:
    return services.search_articles(organisation=request.organisation, query=params.q, audience=params.audience,
                                    k=params.k, language=params.language)
