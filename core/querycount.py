"""How many SQL queries a request made, in a response header: for `make bench-pages` only.

Installed first in MIDDLEWARE when LIAISON_COUNT_QUERIES=1, so that it counts the session, the
user and every other query of the request. Never on in production: the header tells a visitor
something about how a page is built.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

HEADER = "X-Liaison-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(execute: Callable[..., Any], *args: Any) -> Any:
            nonlocal count
            count += 1
            return execute(*args)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
