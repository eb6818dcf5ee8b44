"""The REST API at /api/v1/: one Ninja API assembled from every domain's router."""

from importlib import import_module

from ninja import NinjaAPI

from eyelevel.accounts.api_auth import IntegratorTokenAuth
from eyelevel.core.api import install_problem_details

API_DOMAINS = ["customers", "messaging", "commerce", "feedback", "offers", "relationships", "surveys", "knowledge"]

api = NinjaAPI(
    title="eyelevel API",
    version="1.0.0",
    description=(
        "Integrator API of eyelevel. Authenticate with an integrator token: `Authorization: Bearer <token>`. "
        "Every token belongs to one organisation. Errors are RFC 9457 problem details."
    ),
    auth=IntegratorTokenAuth(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_problem_details(api)

for _domain in API_DOMAINS:
    _module = import_module(f"eyelevel.{_domain}.api")
    api.add_router(f"/{_domain}/", _module.router)
