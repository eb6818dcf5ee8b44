"""Commerce services: products and their price breakdown, receipts, statements, stamp cards, import."""

from eyelevel.commerce.services.importer import import_completejourney, import_purchase_rows
from eyelevel.commerce.services.products import (
    get_product,
    get_settings,
    list_products,
    product_categories,
    products_by_id,
    set_price_breakdown,
    update_settings,
    upsert_products,
)
from eyelevel.commerce.services.receipts import (
    customer_ids_with_receipts,
    erase_receipts,
    export_receipts,
    get_receipt,
    iter_purchase_lines,
    list_receipts,
    purchase_history,
    purchase_times,
    receipt_count,
    receipt_statement,
    receipt_years,
    record_receipts,
    revenue_since,
    vat_totals,
)
from eyelevel.commerce.services.stamps import (
    award_stamps,
    create_programme,
    get_programme,
    get_reward,
    list_programmes,
    redeem_reward,
    set_programme_active,
    stamp_cards,
)
from eyelevel.commerce.services.statements import statement_csv, statement_pdf

__all__ = [
    "award_stamps", "create_programme", "customer_ids_with_receipts", "erase_receipts", "export_receipts", "get_product", "get_programme",
    "get_receipt", "get_reward", "get_settings", "import_completejourney", "import_purchase_rows",
    "iter_purchase_lines", "list_products", "list_programmes", "list_receipts", "product_categories",
    "products_by_id", "purchase_history", "purchase_times", "receipt_count", "receipt_statement", "receipt_years",
    "record_receipts", "redeem_reward", "revenue_since", "set_price_breakdown", "set_programme_active",
    "stamp_cards", "statement_csv", "statement_pdf", "update_settings", "upsert_products", "vat_totals",
]
