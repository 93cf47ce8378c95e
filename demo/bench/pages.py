"""A browser's view of the server: log in, find the pages from the navigation, time each one."""

import http.client
import re
import statistics
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.urls import Resolver404, resolve

from core.querycount import HEADER

# Beyond the navigation itself: one detail page of each kind, every report, the calendar.
EXTRA_PAGES = re.compile(r"(_detail|_review|^reports:\w+|:meeting_calendar|:impact_summary)$")
NOT_PAGES = re.compile(r"(_csv|_export|_ics|:calendar_feed|:logout|^admin:)")
# Pages taken from a link on one kind of page only. The impact summary of the first organization
# listed shows its programs only when it has some in the period, which differs from one size of
# data to the other (four queries, or eight): a program's own summary is alike at both sizes.
TAKEN_FROM = {"programs:impact_summary": "programs:program_detail"}
# The search box (a form, not a link), as the issue asked of it: a word in partners' profiles,
# a word in touchpoint notes, a mistyped name, a word left out, a phrase.
SEARCHES = {
    "search: diabetes": "/search/?q=diabetes",
    "search: MOU": "/search/?q=MOU",
    "search: tamarak": "/search/?q=tamarak",
    "search: health -hospital": "/search/?q=health+-hospital",
    "search: food pantry": "/search/?q=%22food+pantry%22",
}


class _Links(HTMLParser):
    """The href of every <a>, and those inside <nav aria-label="Main"> apart."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.nav: list[str] = []
        self.csrf = ""
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav":
            if values.get("aria-label") == "Main" or self._nav_depth:
                self._nav_depth += 1
        elif tag == "a" and (href := values.get("href")) and href.startswith("/"):
            (self.nav if self._nav_depth else self.links).append(href)
        elif tag == "input" and values.get("name") == "csrfmiddlewaretoken":
            self.csrf = values.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


def links_in(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float

    @property
    def queries(self) -> int | None:
        value = self.headers.get(HEADER.lower())
        return int(value) if value is not None else None


@dataclass
class Client:
    """One person at one browser: cookies kept, a new connection per request (gunicorn's sync
    workers close each one)."""

    host: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Response:
        headers = {"Host": self.host, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}{path}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return Response(
            answer.status, content, {k.lower(): v for k, v in answer.getheaders()}, seconds
        )

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def log_in(self, username: str, password: str) -> None:
        form = links_in(self.get("/accounts/login/").body.decode())
        answer = self.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": form.csrf},
        )
        if answer.status != 302:
            raise RuntimeError(f"Logging in as {username} failed ({answer.status}).")


def page_name(path: str) -> str | None:
    """The page's URL name, or None for what is not a page (exports, feeds, other sites)."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    name = match.view_name
    return None if NOT_PAGES.search(name) else name


def discover(client: Client) -> dict[str, str]:
    """Page name → path: the navigation's pages, then the detail pages, reports and calendar
    linked from them (and from those), the first link of each kind as a person would click."""
    home = client.get("/")
    found: dict[str, str] = {}
    queue: list[str] = []
    for path in links_in(home.body.decode()).nav:
        name = page_name(path)
        if name and name not in found:
            found[name] = path
            queue.append(path)
    for depth in range(2):
        next_queue = []
        for path in queue:
            answer = client.get(path)
            if answer.status != 200 or "html" not in answer.headers.get("content-type", ""):
                continue
            here = page_name(path)
            for link in links_in(answer.body.decode()).links:
                name = page_name(link)
                if name in TAKEN_FROM and TAKEN_FROM[name] != here:
                    continue
                if name and name not in found and EXTRA_PAGES.search(name):
                    found[name] = link.split("#")[0]
                    next_queue.append(found[name])
        queue = next_queue if depth == 0 else []
    return found | SEARCHES


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    kb: float
    queries: int | None
    status: int
    # The yardstick's median, timed in turn with the page's requests (see timed).
    login_ms: float
    login_seconds: tuple[float, ...] = ()


LOGIN = "/accounts/login/"


def timed(client: Client, path: str, *, warmups: int, runs: int, yardstick: Client) -> Timing:
    """The page's timings, and the login page's (as `yardstick`, signed out) timed in turn with
    them: a machine shared with others runs faster and slower through a run of several minutes,
    and a page is compared with the login page as the machine ran while the page was timed."""
    for _ in range(warmups):
        client.get(path)
        yardstick.get(LOGIN)
    answers, logins = [], []
    for _ in range(runs):
        answers.append(client.get(path))
        logins.append(yardstick.get(LOGIN).seconds)
    seconds = sorted(a.seconds for a in answers)
    last = answers[-1]
    return Timing(
        median_ms=statistics.median(seconds) * 1000,
        p95_ms=seconds[max(0, round(0.95 * len(seconds)) - 1)] * 1000,
        kb=len(last.body) / 1024,
        queries=last.queries,
        status=last.status,
        login_ms=statistics.median(logins) * 1000,
        login_seconds=tuple(logins),
    )
