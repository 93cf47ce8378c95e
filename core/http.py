"""Small request helpers shared by every app's views."""

import json
import re
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils.functional import cached_property

from core.prepared import PreparedList

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 25
# How far a list that can grow to tens of thousands of rows counts them: past this it says
# "more than 1,000" and pages on with Next, so its page costs the same at any size (an exact
# count reads every row: 100,000 touchpoints took longer than the rest of their page).
COUNT_LIMIT = 1000


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind login gets: its user is signed in, never AnonymousUser.

    Only an annotation for views' `request` parameter (the django-stubs pattern): every view
    needs a login (LoginRequiredMiddleware) unless marked @login_not_required.
    """

    user: "User"


# A key no row has: the URL is reversed once with it in place of a row's, which is then put in.
_PK_PLACEHOLDER = "2147483647"


# A record's number as an address or a form writes it: ASCII digits, no leading zero, within a
# 64-bit key ("²" is a digit to Python's isdigit, and int() refuses it).
RECORD_NUMBER_RE = re.compile(r"[1-9]\d{0,17}")


def record_number(value: object) -> int | None:
    """The record number in a query string or a posted field (?organization=12), or None for
    anything else."""
    text = str(value) if value is not None else ""
    return int(text) if RECORD_NUMBER_RE.fullmatch(text) else None


@cache
def _url_with_placeholder(viewname: str, script_prefix: str) -> str:
    return reverse(viewname, args=[_PK_PLACEHOLDER])


def pk_url(viewname: str, pk: int) -> str:
    """reverse(viewname, args=[pk]) for the page of one record (`<int:pk>/`), at a tenth of the
    cost: lists call get_absolute_url for every row, and reverse() was a millisecond a page."""
    pattern = _url_with_placeholder(viewname, get_script_prefix())
    return pattern.replace(_PK_PLACEHOLDER, str(pk))


class ListPaginator(Paginator):
    """Django's Paginator, which can stop counting at `count_limit` rows.

    Without a limit it is Django's own. With one, the count reads at most limit + 1 rows; past
    the limit the list is "open-ended": `count_text` says "more than 1,000", `num_pages` is the
    number of pages known to be full, and a page knows whether another follows by reading one
    row more than it shows. `count_text` is what the templates show either way.
    """

    def __init__(
        self,
        object_list: "QuerySet | PreparedList",
        per_page: int,
        *,
        count_limit: int | None = None,
        count: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.count_limit = count_limit
        if count is not None:  # counted already (with the list's totals, say)
            self.__dict__["count"] = count

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, PreparedList):
            return rows.count_up_to(None if self.count_limit is None else self.count_limit + 1)
        if self.count_limit is None or not isinstance(rows, QuerySet):
            return super().count
        if not rows.query.distinct:
            # Only the rows' keys, unsorted: no joins for columns, no sort to stop at the limit.
            rows = rows.order_by().values("pk")
        return rows[: self.count_limit + 1].count()

    @property
    def open_ended(self) -> bool:
        """True when the list has more rows than were counted."""
        return self.count_limit is not None and self.count > self.count_limit

    @property
    def count_text(self) -> str:
        """The number of rows for a sentence: "1,234", or "more than 1,000"."""
        if self.open_ended:
            return f"more than {intcomma(self.count_limit)}"
        return intcomma(self.count)

    @property
    def num_pages(self) -> int:
        if self.open_ended:
            return max(1, (self.count - 1) // self.per_page)
        return super().num_pages

    def validate_number(self, number: int | float | str) -> int:
        if not self.open_ended:
            return super().validate_number(number)
        try:
            return super().validate_number(number)
        except EmptyPage:
            number = int(number)
            if number < 1:
                raise
            return number  # past the pages counted: Next goes on until a page comes back empty

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        if not self.open_ended:
            return super().page(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        return OpenEndedPage(rows[: self.per_page], number, self, has_next=more)

    def get_page(self, number: int | float | str | None) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:
            # A number past the end of a long list (an old link): count it all, this once, to
            # show its real last page as Django's paginator does.
            self.count_limit = None
            self.__dict__["count"] = super().count
            return super().get_page(self.num_pages)


class OpenEndedPage(Page):
    """A page of an open-ended list: whether another follows was read, not counted."""

    def __init__(self, object_list: list, number: int, paginator: Paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


def paginate(
    request: HttpRequest,
    queryset: "QuerySet | PreparedList",
    per_page: int = PAGE_SIZE,
    param: str = "page",
    *,
    count_limit: int | None = None,
    count: int | None = None,
) -> Page:
    """The requested page (?page=); a bad or too-high number gives a valid page, not a 404.

    A list that can grow without bound passes `count_limit=COUNT_LIMIT` (see ListPaginator);
    one that has counted its rows already passes `count`. `queryset` may be a PreparedList
    (core.prepared): a list read through queries compiled once per process.
    """
    paginator = ListPaginator(queryset, per_page, count_limit=count_limit, count=count)
    return paginator.get_page(request.GET.get(param))


def query_without(request: HttpRequest, *names: str) -> str:
    """The current query string minus some parameters, for pagination and sort links."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def htmx_targets(request: HttpRequest, target: str) -> bool:
    """True when htmx asks for just the fragment that goes into #target."""
    return bool(request.headers.get("HX-Request")) and request.headers.get("HX-Target") == target


def client_ip(request: HttpRequest) -> str:
    """The address the request came from, for throttling (login lockout, password reset).

    Behind ``LIAISON_PROXY_COUNT`` proxies it is the address the outermost of them saw: each
    proxy appends the address it was reached from to X-Forwarded-For, so it is counted from the
    right (anything further left was sent by the client and proves nothing).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.LIAISON_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else remote


def announce(response: HttpResponse, message: str = "", *, changed: tuple[str, ...] = ()) -> None:
    """Tell the page, after htmx has swapped `response` in, what changed and what to say.

    Each name in `changed` fetches again the panels registered with it in `refresh_on`
    (core.panels); `message` is read out by the page's live region and shown at the foot of the
    screen (static/js/liaison.js). Without htmx the header is ignored: the page reloads anyway.
    """
    events: dict[str, object] = {f"{name}-changed": True for name in changed}
    if message:
        events["liaison:announce"] = message
    if events:
        response.headers["HX-Trigger-After-Settle"] = json.dumps(events)
