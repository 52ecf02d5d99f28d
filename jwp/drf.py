"""DRF settings objects (kept apart from views to avoid an import cycle)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


_TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Permission denied",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    problem = {
        "type": "about:blank",
        "title": _TITLES.get(response.status_code, "Error"),
        "status": response.status_code,
    }
    if isinstance(data, dict) and set(data) == {"detail"}:
        problem["detail"] = str(data["detail"])
    else:
        problem["detail"] = "The request has invalid fields."
        problem["errors"] = data
    response.data = problem
    response.content_type = "application/problem+json"
    return response
