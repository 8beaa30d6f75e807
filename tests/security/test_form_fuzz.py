"""Hypothesis-generated input for every customer form (C36).

The forms are discovered, not listed: every page a customer with data in every app can open (the
URL configuration filled with their own objects, as in the access sweep) is rendered, and each
``<form method="post">`` in it is posted with generated values for its own field names: random
text and unicode, huge, empty, NUL bytes, numbers out of range, markup and SQL.  No answer may be a
5xx; a refused submission must say why (a field error or a message) and change none of the
customer's data (nothing stored half).

"The customer's data" is what a posted form could change: every declared row of theirs, less the rows
any request writes by itself whatever was posted (``_form_data``).  Hypothesis is derandomized: every
run posts the same values in the same order.
"""

import hashlib
import json
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.activity import Action as AccountAction
from consent.activity import Action as ConsentAction
from orders.activity import Action as OrdersAction
from rights.activity import Action as RightsAction
from tests.security.conftest import rows_of
from tests.security.test_access_sweep import _urls, _values

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db]
EXAMPLES = 12
# Forms that end the session or the account, or are allauth's own (its limits: test_brute_force.py).
SKIPPED_ACTIONS = ("/account/", "/i18n/setlang/", "/account-opheffen/", "/en/")
NASTY = [
    "", " ", "0", "-1", "1e309", "99999999999999999999999", "NaN", "\x00", "a\x00b", "<script>alert(1)</script>",
    "' OR 1=1 --", "../../../../etc/passwd", "１２３", "é" * 300, "💥" * 2000, "x" * 100_000, "\u202e\u200b",
    "javascript:alert(1)", "%00", "{{ 7*7 }}", "@example.nl", "a@b", "http://", "0000-00-00", "2026-02-30",
]  # fmt: skip
# Rows a request writes by itself, whatever the form: allauth's session row ("last seen", written at most
# once a minute per session, so whether a post lands on it depends on the clock) and the profiling visits
# of the page-view buffer (written by count or time after any response).
NOT_FROM_THE_FORM = {"usersessions.UserSession", "stats.ProfilingEvent"}
# Activity-log rows that record an attempt, a visit or a sign-in, not a change of data.
ATTEMPT_ACTIONS = [
    AccountAction.LOGIN_FAILED, AccountAction.LOGGED_IN, AccountAction.LOGGED_OUT, ConsentAction.STATEMENT_READ,
    OrdersAction.INVOICE_DOWNLOADED, RightsAction.EXPORT_DOWNLOADED,
]  # fmt: skip


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                             "fields": {}}  # fmt: skip
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            field = self._current["fields"].setdefault(attrs["name"], {"type": attrs.get("type", tag), "values": []})
            if attrs.get("value") is not None:
                field["values"].append(attrs["value"])
            self._select = field if tag == "select" else None
        elif tag == "option" and self._current is not None and getattr(self, "_select", None) is not None:
            self._select["values"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _forms_of(client, urls: list[str]) -> dict[tuple, dict]:
    found: dict[tuple, dict] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(urljoin(url, form["action"] or url)).path
            if (
                form["method"] != "post"
                or action.startswith(SKIPPED_ACTIONS)
                or "file" in {f["type"] for f in form["fields"].values()}
            ):  # the photo upload has its own suite (test_uploads.py)
                continue
            fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
            found.setdefault((action, tuple(sorted(fields))), {"action": action, "fields": fields, "page": url})
    return found


def _value(field: dict):
    choices = [st.sampled_from(NASTY), st.text(max_size=300)]
    if field["values"]:
        choices.insert(0, st.sampled_from(field["values"]))  # the real value keeps the form reachable
    return st.one_of(*choices)


def _explained(response) -> bool:
    """A field error or a message is shown (Django's errorlist, the portal's role="alert", messages)."""
    body = response.content.decode(errors="replace")
    return "errorlist" in body or 'role="alert"' in body or 'class="messages' in body


def _form_data(user) -> dict[str, str]:
    """A digest per declaration of what a posted form could change of ``user``'s data."""
    from privacy.declarations import all_declarations

    digests = {}
    for declaration in all_declarations():
        if declaration.model._meta.label in NOT_FROM_THE_FORM:
            continue
        rows = declaration.for_user(user)
        if declaration.model._meta.label == "portal.Activity":
            rows = rows.exclude(action__in=ATTEMPT_ACTIONS)
        values = list(rows.order_by("pk").values("pk", *declaration.fields))
        digests[declaration.key] = hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()
    return digests


def test_every_customer_form_survives_generated_input(customer_a, client):
    client.force_login(customer_a)
    urls = [url for _name, url in _urls(_values(rows_of(customer_a), customer_a))]
    forms = _forms_of(client, urls)
    assert len(forms) >= 15, sorted(forms)
    problems: list[str] = []
    for form in forms.values():
        _fuzz(client, customer_a, form, problems)
    assert not problems, "\n".join(problems[:40])


def _fuzz(client, customer, form: dict, problems: list[str]) -> None:
    strategy = st.fixed_dictionaries({name: _value(field) for name, field in form["fields"].items()})

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(values=strategy)
    def post(values):
        before = _form_data(customer)
        response = client.post(form["action"], values)
        where = f"{form['action']} (from {form['page']}) with {values!r:.300}"
        if response.status_code >= 500:
            problems.append(f"{response.status_code}: {where}")
        elif response.status_code in (200, 400):
            if not _explained(response):
                problems.append(f"refused without a message: {where}")
            elif (after := _form_data(customer)) != before:
                changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
                problems.append(f"refused but changed the customer's data ({', '.join(changed)}): {where}")

    post()
    client.force_login(customer)  # a form may have logged the customer out
