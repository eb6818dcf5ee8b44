"""Background work: receipt CSV uploads."""

from django_tasks import task


@task()
def run_receipt_import_task(receipt_import_id: int) -> None:
    from eyelevel.commerce.services.receipt_csv import run_receipt_import

    run_receipt_import(receipt_import_id=receipt_import_id)
