"""One pagination helper for every HTML list."""

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """The requested page; a bad or out-of-range ?page= gives the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
