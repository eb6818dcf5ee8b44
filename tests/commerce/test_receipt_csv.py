"""The generic receipt CSV import: service, command and staff upload page."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from eyelevel.commerce import services
from eyelevel.commerce.models import Product, Receipt, ReceiptImport, ReceiptLine
from eyelevel.commerce.schemas import StampProgrammeIn
from eyelevel.core.errors import InvalidInput
from eyelevel.customers import services as customers

HEADER = "receipt_number,timestamp,customer_ref,customer_email,product_code,product_name,category,quantity," \
         "unit_price,discount,vat_rate,store"
GOOD = [
    "R1,2026-03-14 09:30,,lena@example.com,COF,Flat white,Coffee,2,3.00,0.50,7,Main",
    "R1,2026-03-14 09:30,,lena@example.com,MUG,Mug,Homeware,1,10.00,,19,Main",
    "R2,2026-03-15 10:00,K-77,,COF,Flat white,Coffee,1,3.00,,7,Main",
    "R3,2026-03-15 11:00,,,COF,Flat white,Coffee,1,3.00,,7,Station",
]


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_receipts_products_customers_and_stamps_come_in(org, customer):  # type: ignore[no-untyped-def]
    services.create_programme(organisation=org, data=StampProgrammeIn(
        name="Coffee card", category="coffee", stamps_required=3, reward="Free coffee"))
    result = services.import_receipts_csv(organisation=org, payload=_csv(*GOOD), filename="till.csv")
    assert (result.rows, result.receipts_created, result.lines_created) == (4, 3, 4)
    assert (result.products_created, result.customers_created) == (2, 1)
    r1 = Receipt.objects.for_organisation(org).get(number="R1")
    assert r1.customer_id == customer.pk
    assert r1.total == Decimal("15.50")  # 2 x 3.00 - 0.50 + 10.00
    line = ReceiptLine.objects.for_organisation(org).get(receipt=r1, product__sku="COF")
    assert (line.discount, line.vat_rate, line.amount) == (Decimal("0.50"), Decimal("7"), Decimal("5.50"))
    assert Receipt.objects.for_organisation(org).get(number="R3").customer_id is None  # anonymous
    k77 = customers.find_customer_by_reference(organisation=org, external_ref="K-77")
    assert Receipt.objects.for_organisation(org).get(number="R2").customer_id == k77.id
    assert Product.objects.for_organisation(org).get(sku="MUG").vat_rate == Decimal("19")
    card = services.stamp_cards(organisation=org, customer_id=customer.pk)[0]
    assert card.stamps == 2  # the two coffees of R1


def test_a_reimport_creates_no_duplicates(org, customer):  # type: ignore[no-untyped-def]
    services.import_receipts_csv(organisation=org, payload=_csv(*GOOD))
    again = services.import_receipts_csv(organisation=org, payload=_csv(*GOOD, "R4,2026-03-16 08:00,,,COF,,,1,3,,,"))
    assert (again.receipts_created, again.receipts_skipped) == (1, 3)
    assert Receipt.objects.for_organisation(org).count() == 4
    assert ReceiptLine.objects.for_organisation(org).count() == 5


def test_bad_rows_are_named_by_number_and_field_and_nothing_is_imported(org, customer):  # type: ignore[no-untyped-def]
    rows = [*GOOD,
            "R5,yesterday,,,COF,,,1,3.00,,,",  # row 6
            "R6,2026-03-16 08:00,,,NEW,,,1,3.00,,,",  # row 7: a new product without a name
            "R7,2026-03-16 08:00,,nobody@example.com,COF,,,1,3.00,,,",  # row 8: no such customer
            "R8,2026-03-16 08:00,,,COF,,,lots,3.00,,,",  # row 9
            "R1,2026-03-14 09:31,,lena@example.com,COF,,,1,3.00,,,Main"]  # row 10: R1 at another time
    with pytest.raises(services.ReceiptFileError) as caught:
        services.import_receipts_csv(organisation=org, payload=_csv(*rows))
    assert [(e["row"], e["field"]) for e in caught.value.rows] == [
        (6, "timestamp"), (7, "product_name"), (8, "customer_email"), (9, "quantity"), (10, "receipt_number")]
    assert "row 6, timestamp" in str(caught.value)
    assert not Receipt.objects.for_organisation(org).exists()
    assert not Product.objects.for_organisation(org).exists()


def test_good_rows_on_request_and_the_rest_in_a_reject_file(org, customer):  # type: ignore[no-untyped-def]
    rows = [*GOOD, "R1,2026-03-14 09:30,,lena@example.com,TEA,,,1,2.00,,,Main",  # row 6 spoils all of R1
            "R9,2026-03-16 08:00,,,COF,,,1,-3,,,"]  # row 7
    result = services.import_receipts_csv(organisation=org, payload=_csv(*rows), import_good_rows=True)
    assert result.receipts_created == 2  # R2 and R3; R1 has a bad row, so none of its rows is imported
    assert not Receipt.objects.for_organisation(org).filter(number="R1").exists()
    reject = result.rejects.splitlines()
    assert reject[0] == HEADER + ",error_row,error"
    assert [line.split(",")[0] for line in reject[1:]] == ["R1", "R1", "R1", "R9"]
    assert reject[3].endswith(",6,product_name: product TEA is new: give its name")
    assert "unit_price" in reject[4]


def test_semicolons_and_decimal_commas(org):  # type: ignore[no-untyped-def]
    text = "receipt_number;timestamp;product_code;product_name;quantity;unit_price\nS1;2026-03-14T09:30:00+01:00;" \
           "BR;Brot;1;2,49\n"
    services.import_receipts_csv(organisation=org, payload=text.encode())
    assert Receipt.objects.for_organisation(org).get(number="S1").total == Decimal("2.49")


def test_a_missing_column_is_named(org):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="lacks the columns unit_price"):
        services.import_receipts_csv(organisation=org, payload=b"receipt_number,timestamp,product_code,quantity\n")


def test_the_command(org, customer, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = tmp_path / "till.csv"
    path.write_bytes(_csv(*GOOD, "R9,2026-03-16 08:00,,,COF,,,0,3,,,"))
    with pytest.raises(CommandError, match="row 6, quantity"):
        call_command("commerce", "import-receipts", str(path), "--organisation", org.slug)
    assert not Receipt.objects.for_organisation(org).exists()
    call_command("commerce", "import-receipts", str(path), "--organisation", org.slug, "--import-good-rows")
    assert "3 receipts created" in capsys.readouterr().out
    rejects = (tmp_path / "till.csv.rejects.csv").read_text().splitlines()
    assert rejects[1].startswith("R9,")
    call_command("commerce", "import-receipts", str(path), "--organisation", org.slug, "--import-good-rows",
                 "--reject-file", str(tmp_path / "bad.csv"))
    assert "0 receipts created, 3 already there" in capsys.readouterr().out
    assert (tmp_path / "bad.csv").exists()


def test_the_upload_page_shows_progress_and_rows_to_fix(manager_client, agent_client, outsider_client, org,  # type: ignore[no-untyped-def]
                                                        customer, django_capture_on_commit_callbacks):
    page = manager_client.get("/staff/commerce/receipts/import/").content.decode()
    assert "receipt_number" in page
    assert "customer_email" in page
    assert agent_client.get("/staff/commerce/receipts/import/").status_code == 403
    bad = SimpleUploadedFile("till.csv", _csv(*GOOD, "R9,2026-03-16 08:00,,,COF,,,1,abc,,,"))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post("/staff/commerce/receipts/import/", {"file": bad})
    job = ReceiptImport.objects.for_organisation(org).get()
    assert response.url == f"/staff/commerce/receipts/import/{job.pk}/"
    assert job.status == "failed"
    assert job.errors == [{"row": 6, "field": "unit_price", "message": "'abc' is not a number"}]
    shown = manager_client.get(response.url).content.decode()
    assert "Nothing was imported" in shown
    assert 'hx-trigger="every 1s"' not in shown
    assert outsider_client.get(response.url).status_code == 404
    assert not Receipt.objects.for_organisation(org).exists()
    again = SimpleUploadedFile("till.csv", _csv(*GOOD, "R9,2026-03-16 08:00,,,COF,,,1,abc,,,"))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post("/staff/commerce/receipts/import/", {"file": again, "good_rows": "1"})
    second = ReceiptImport.objects.for_organisation(org).order_by("-id").first()
    assert (second.status, second.receipts_created, second.processed) == ("done", 3, 5)
    rejects = manager_client.get(f"/staff/commerce/receipts/import/{second.pk}/rejects/").content.decode()
    assert rejects.splitlines()[1].startswith("R9,")
    assert "Download the rejected rows" in manager_client.get(
        f"/staff/commerce/receipts/import/{second.pk}/").content.decode()


def test_row_messages_are_written_in_the_uploaders_language(manager_client, org, customer,  # type: ignore[no-untyped-def]
                                                             django_capture_on_commit_callbacks):
    bad = SimpleUploadedFile("till.csv", _csv(*GOOD, "R9,2026-03-16 08:00,,,COF,,,1,abc,,,"))
    with django_capture_on_commit_callbacks() as queued:
        manager_client.post("/staff/commerce/receipts/import/", {"file": bad}, HTTP_ACCEPT_LANGUAGE="de")
    # The worker runs later, outside any request and in its own language; it writes the row messages in the
    # language the file was uploaded in.
    with translation.override("en"):
        for run in queued:
            run()
    job = ReceiptImport.objects.for_organisation(org).get()
    assert job.language == "de"
    assert job.errors == [{"row": 6, "field": "unit_price", "message": "'abc' ist keine Zahl"}]


def test_an_upload_without_a_file_or_with_an_empty_one_asks_again(manager_client, org):  # type: ignore[no-untyped-def]
    missing = manager_client.post("/staff/commerce/receipts/import/", {}, HTTP_ACCEPT_LANGUAGE="de")
    assert missing.status_code == 200
    assert "Wählen Sie eine Datei." in missing.content.decode()
    empty = manager_client.post("/staff/commerce/receipts/import/", {"file": SimpleUploadedFile("till.csv", b"")})
    assert empty.status_code == 200
    assert "the file is empty" in empty.content.decode()
    assert not ReceiptImport.objects.for_organisation(org).exists()
