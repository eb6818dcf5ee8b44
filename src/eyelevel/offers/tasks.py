"""Background work of the offers domain: fitting the recommender, sending personal newsletters."""

from django_tasks import task

from eyelevel.core.models import Organisation
from eyelevel.offers import services


@task()
def train_recommender_task(*, organisation_id: int, run_id: int) -> str:
    """Fit the organisation's recommender (the run row shows progress)."""
    return services.train_recommender(organisation=organisation_id, run_id=run_id).status


@task()
def send_newsletters_task(*, organisation_id: int) -> dict:
    """Send every consenting customer their own newsletter."""
    organisation = Organisation.objects.get(pk=organisation_id)
    return services.send_newsletters(organisation=organisation).model_dump()
