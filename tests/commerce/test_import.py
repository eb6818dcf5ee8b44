from datetime import UTC, datetime
from decimal import Decimal

import pytest

from eyelevel.commerce import services
from eyelevel.commerce.models import ReceiptLine
from eyelevel.core.errors import InvalidInput
from eyelevel.customers import services as customers
from tests.commerce.conftest import write_completejourney

GOOD = [
    "7,330,5001,101,2,5.0,1.0,0.5,0.0,1,2017-01-01 11:53:26",
    "7,330,5001,102,1,0.99,0.0,0.0,0.0,1,2017-01-01 11:53:26",
    "8,331,5002,101,0,0.0,0.0,0.0,0.0,1,2017-01-02 09:00:00",
    "8,331,5003,999,1,2.5,0.0,0.0,0.0,1,2017-01-03 09:00:00",
]


def test_import_of_the_completejourney_format(org, tmp_path):  # type: ignore[no-untyped-def]
    folder = write_completejourney(tmp_path / "cj", GOOD)
    seen = []
    report = services.import_completejourney(organisation=org, directory=folder, progress=seen.append)
    assert (report.rows, report.receipts_created, report.lines_created) == (4, 3, 4)
    assert (report.customers_created, report.products_created, report.bad_rows) == (2, 3, [])
    assert sum(seen) == 4
    household = customers.find_customer_by_reference(organisation=org, external_ref="cj-7")
    page = services.list_receipts(organisation=org, customer_id=household.id)
    detail = services.get_receipt(organisation=org, receipt_id=page.items[0].id)
    assert detail.number == "CJ-5001"
    assert detail.total == Decimal("5.99")
    coffee = next(line for line in detail.lines if line.sku == "101")
    # shelf price = (sales + retail + coupon match) / quantity; all discounts are line discounts
    assert (coffee.unit_price, coffee.discount, coffee.amount) == (Decimal("3.25"), Decimal("1.50"), Decimal("5.00"))
    assert coffee.product_name == "COFFEE BEANS 500 G"
    assert "not in the catalogue" in services.list_products(organisation=org, query="999")[0].name
    again = services.import_completejourney(organisation=org, directory=folder)
    assert (again.receipts_created, again.receipts_skipped, again.customers_created) == (0, 3, 0)
    assert ReceiptLine.objects.for_organisation(org).count() == 4


def test_bad_rows_are_reported_by_number_and_nothing_is_written(org, tmp_path):  # type: ignore[no-untyped-def]
    rows = [GOOD[0], "7,330,5004,101,abc,1.0,0,0,0,1,2017-01-01 10:00:00",
            "x,330,5005,101,1,1.0,0,0,0,1,2017-01-01 10:00:00", "7,330,5006,101,1,1.0,0,0,0,1,yesterday",
            "9,330,5001,101,1,1.0,0,0,0,1,2017-01-01 11:53:26"]
    folder = write_completejourney(tmp_path / "cj", rows)
    with pytest.raises(InvalidInput) as error:
        services.import_completejourney(organisation=org, directory=folder)
    assert [e["field"] for e in error.value.errors] == ["row 3", "row 4", "row 5", "row 6"]
    assert "household_id" in error.value.errors[1]["message"]
    assert services.receipt_count(organisation_id=org.pk) == 0
    assert customers.find_customer_by_reference(organisation=org, external_ref="cj-7") is None
    reject = tmp_path / "rejects.csv"
    report = services.import_completejourney(organisation=org, directory=folder, reject_file=reject)
    assert report.receipts_created == 1
    assert [b["row"] for b in report.bad_rows] == [3, 4, 5, 6]
    assert reject.read_text().count("\n") == 5


def test_missing_columns_are_named(org, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "cj"
    folder.mkdir()
    (folder / "transactions_train.csv").write_text("household_id,basket_id\n1,2\n")
    (folder / "products.csv").write_text("product_id\n")
    with pytest.raises(InvalidInput) as error:
        services.import_completejourney(organisation=org, directory=folder)
    assert "row 1" in error.value.detail
    assert "product_id" in error.value.detail


def test_a_slice_of_the_real_completejourney_data(org, tmp_path, shared_data):  # type: ignore[no-untyped-def]
    import gzip

    source = shared_data / "completejourney"
    with gzip.open(source / "transactions_train.csv.gz", "rt") as stream:
        lines = [next(stream) for _ in range(3001)]
    folder = tmp_path / "slice"
    folder.mkdir()
    (folder / "transactions_train.csv").write_text("".join(lines))
    (folder / "products.csv.gz").symlink_to(source / "products.csv.gz")
    report = services.import_completejourney(organisation=org, directory=folder)
    assert report.rows == 3000
    assert report.bad_rows == []
    assert report.lines_created == 3000
    assert report.receipts_created > 100
    assert report.products_created > 90000
    total = sum(line.split(",")[5] and Decimal(line.split(",")[5]) for line in lines[1:])
    assert services.revenue_since(organisation_id=org.pk, since=datetime(2000, 1, 1, tzinfo=UTC)) == total
