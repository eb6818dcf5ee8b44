"""Page arithmetic shared by every paged list (customers, facts, access log, messages, ...)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PageWindow:
    """Which page is shown (clamped to the pages there are) and the slice of rows it covers."""

    page: int
    pages: int
    total: int
    start: int
    stop: int


def page_window(*, total: int, page: int, page_size: int) -> PageWindow:
    """Clamp the asked page to 1..pages (an empty list still has one page) and give its row slice."""
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    return PageWindow(page=page, pages=pages, total=total, start=(page - 1) * page_size, stop=page * page_size)
