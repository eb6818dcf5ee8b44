from django.urls import path

from eyelevel.commerce.views import portal, staff

staff_patterns = (
    [
        path("products/", staff.product_list, name="products"),
        path("products/<int:product_id>/", staff.product_detail, name="product"),
        path("settings/", staff.settings_update, name="settings"),
        path("receipts/", staff.receipt_list, name="receipts"),
        path("receipts/<int:receipt_id>/", staff.receipt_detail, name="receipt"),
        path("receipts/import/", staff.receipt_import, name="receipt_import"),
        path("receipts/import/<int:receipt_import_id>/", staff.receipt_import_job, name="receipt_import_job"),
        path("receipts/import/<int:receipt_import_id>/rejects/", staff.receipt_import_rejects,
             name="receipt_import_rejects"),
        path("programmes/", staff.programme_list, name="programmes"),
        path("till/", staff.till, name="till"),
        path("rewards/<int:stamp_reward_id>/redeem/", staff.redeem, name="redeem"),
    ],
    "commerce",
)
portal_patterns = (
    [
        path("receipts/", portal.receipt_list, name="receipts"),
        path("receipts/export/", portal.receipt_export, name="receipt_export"),
        path("receipts/receipt/<int:receipt_id>/", portal.receipt_detail, name="receipt"),
        path("stamps/", portal.stamp_cards, name="stamps"),
        path("products/<int:product_id>/", portal.product_detail, name="product"),
    ],
    "commerce_portal",
)
public_patterns: tuple[list, str] = ([], "commerce_public")
