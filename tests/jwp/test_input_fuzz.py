"""Input never yields a 500: every county page's filters, every HTML form and every API
list's filters and ordering, fed hostile values as the county's secretariat.

The walk is the isolation test's (every county URL, with one object of the county for
each keyword argument). For each page it reads the forms the page itself renders:

* GET forms and the query parameters the view's code reads get every hostile value;
* POST forms are posted once per hostile value in every field, then field by field
  with a value hostile to that field's type while the other fields keep what the page
  filled in (so a single bad field reaches the code behind a valid form).

API lists get every filter of their filterset and ``ordering`` with every hostile value,
field names that are not ordering fields, and many-to-many names.

Each request runs in a savepoint that is rolled back, so a form that succeeds changes
nothing for the next one and a database error cannot poison the rest of the walk.
A deterministic generator, not Hypothesis: the same values every run, and a failure
names the URL, the method and the data that broke it.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import resolve
from django_filters.rest_framework import DjangoFilterBackend

from jwp.roles import Role
from tests.isolation import test_url_isolation as isolation

pytestmark = pytest.mark.postgres

COUNTY_ROUTES, _url = isolation.COUNTY_ROUTES, isolation._url
samples = isolation.samples  # the fixture: one object of the county per URL keyword

HUGE = str(2**64)
TEXTS = [
    "a\x00b",
    HUGE,
    "-1",
    "x" * 5000,
    "ünïcødé ✓ 🐪 الكتاب",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
# Per field, with the other fields as the page filled them: values hostile to its type.
BY_TYPE = {
    "number": [HUGE, f"-{HUGE}", "1e309"],
    "date": ["2026-13-45", "99999-01-01"],
    "datetime-local": ["2026-13-45T25:61"],
    "select": [HUGE, "nope"],
    "checkbox": [HUGE],
    "radio": ["nope"],
    "hidden": [HUGE, "abc"],
}
# A whole form at once: every field (text fields above all) gets each of these.
POSTED = ["a\x00b", HUGE, "x" * 5000, "ünïcødé ✓ 🐪 <script>alert(1)</script>' OR 1=1 --"]
# Query parameters every list may take, besides the ones its forms name.
ALWAYS = {"page"}
_GET_READ = re.compile(r"request\.GET(?:\.get\(|\[)\"(\w+)\"")


class _Forms(HTMLParser):
    """The forms of a page: method, action and fields (name, type, value, choices)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (a.get("method") or "get").lower(),
                    "action": a.get("action") or "",
                    "enctype": a.get("enctype") or "",
                    "fields": [],
                }
            )
            return
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                fields.append({"name": a["name"], "type": kind, "value": None})
                return
            fields.append({"name": a["name"], "type": kind, "value": a.get("value", "on")})
        elif tag == "select":
            self._select = {"name": a["name"], "type": "select", "value": None}
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select["value"] is None or "selected" in a:
                self._select["value"] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "type": "text", "value": ""}
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _filled(fields) -> dict:
    """What the browser would send: the page's values, unchecked boxes left out."""
    data: dict[str, list[str]] = {}
    for field in fields:
        if field["type"] != "file" and field["value"] is not None:
            data.setdefault(field["name"], []).append(field["value"])
    return data


class _Walk:
    def __init__(self, client):
        self.client = client
        self.client.raise_request_exception = False
        self.failures: list[str] = []
        self.requests = 0
        self.seen: set = set()  # a form on every page (the county switcher) is posted once

    def _isolated(self, method: str, url: str, data: dict | None = None):
        """One request whose writes (and any new session cookie) are undone after it."""
        cookies = self.client.cookies
        self.client.cookies = SimpleCookie(cookies)
        sid = transaction.savepoint()
        try:
            return getattr(self.client, method)(url, data)
        finally:
            transaction.savepoint_rollback(sid)
            self.client.cookies = cookies

    def send(self, method: str, url: str, data: dict) -> None:
        response = self._isolated(method, url, data)
        self.requests += 1
        if response.status_code >= 500:
            shown = {k: (str(v)[:40]) for k, v in data.items()}
            self.failures.append(f"{response.status_code} {method.upper()} {url} {shown}")

    def page(self, url: str, view) -> None:
        response = self._isolated("get", url)
        is_page = response.status_code == 200 and "text/html" in response.get("Content-Type", "")
        html = response.content.decode(errors="replace") if is_page else ""
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} GET {url}")
            return
        forms = _forms(html)
        names = set(_GET_READ.findall(_source(view))) | ALWAYS
        for form in forms:
            if form["method"] == "get" and _same_page(form["action"], url):
                names |= {f["name"] for f in form["fields"]}
        if names - ALWAYS:
            for value in TEXTS:
                self.send("get", url, dict.fromkeys(names, value))
        for form in forms:
            action = urlsplit(form["action"] or url).path or url
            key = (action, tuple(sorted(f["name"] for f in form["fields"])))
            if form["method"] == "post" and form["fields"] and key not in self.seen:
                self.seen.add(key)
                self.post_form(action, form["fields"])

    def post_form(self, action: str, fields) -> None:
        base = _filled(fields)
        names = {f["name"] for f in fields if f["type"] != "file"} - {"csrfmiddlewaretoken"}
        for value in POSTED:
            self.send("post", action, {**base, **dict.fromkeys(names, value)})
        for field in fields:
            if field["name"] == "csrfmiddlewaretoken":
                continue
            for value in BY_TYPE.get(field["type"], []):
                self.send("post", action, {**base, field["name"]: value})


def _source(view) -> str:
    try:
        return inspect.getsource(inspect.unwrap(getattr(view, "view_class", view)))
    except (OSError, TypeError):
        return ""


def _same_page(action: str, url: str) -> bool:
    return not action or urlsplit(action).path == urlsplit(url).path


@pytest.fixture
def walk(client, county, make_member):
    client.force_login(make_member(county, Role.SECRETARIAT))
    return _Walk(client)


HTML_ROUTES = [(r, n) for r, n in COUNTY_ROUTES if not n.startswith("api:")]
API_ROUTES = [(r, n) for r, n in COUNTY_ROUTES if n.startswith("api:")]


def test_no_page_filter_or_form_answers_500_to_hostile_input(walk, county, samples):
    for route, name in HTML_ROUTES:
        url = _url(name, route, county.slug, samples)
        walk.page(url, resolve(url).func)
    assert walk.requests > 800  # the walk reached the forms, not just the pages
    assert not walk.failures, "\n".join(walk.failures)


def _filter_names(view_class) -> set[str]:
    view = view_class()
    filterset_class = DjangoFilterBackend().get_filterset_class(view, view_class.queryset)
    if filterset_class is None:
        return set()
    return set(filterset_class.base_filters)


ORDERINGS = ["ratings_in_order", "get_absolute_url", "county", "pk", "-id", "__all__", "x" * 300]


def test_no_api_filter_or_ordering_answers_500_to_hostile_input(walk, county, samples):
    for route, name in API_ROUTES:
        url = _url(name, route, county.slug, samples)
        view_class = resolve(url).func.view_class
        if not hasattr(view_class, "get_queryset") or not hasattr(view_class, "list"):
            continue
        names = _filter_names(view_class)
        for value in TEXTS:
            walk.send("get", url, dict.fromkeys(names | {"page", "page_size"}, value))
            for filter_name in names:
                walk.send("get", url, {filter_name: value})
        model = view_class.queryset.model
        m2m = [f.name for f in model._meta.get_fields() if f.many_to_many]
        allowed = list(getattr(view_class, "ordering_fields", None) or [])
        for ordering in [*ORDERINGS, *m2m, *allowed, *[f"-{f}" for f in allowed]]:
            walk.send("get", url, {"ordering": ordering})
    assert walk.requests > 200
    assert not walk.failures, "\n".join(walk.failures)
