"""The staff's one page per customer: every section the role may view, links that lead somewhere, bounded queries."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from portal import overview
from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT
from tests.security.conftest import customer_a, staff  # noqa: F401  (fixtures)
from tests.security.test_staff_roles import ALLOWED

pytestmark = pytest.mark.django_db


def _staff(username: str, *, roles=(), superuser=False):
    user = UserFactory(username=username, is_staff=True, is_superuser=superuser)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def _url(customer) -> str:
    return reverse("admin:accounts_user_overview", args=[customer.pk])


def _sections(page: str) -> set[str]:
    return set(re.findall(r'<section class="overview-section module" id="overview-([\w-]+)"', page)) - {"profile"}


def _expected(role: str, customer) -> set[str]:
    """The role's viewable models (``ALLOWED``) that hold rows of a customer."""
    owned = {f"{m._meta.app_label}.{m._meta.model_name}" for m, _owner, _admin in overview.owned_models(type(customer))}
    return {label.replace(".", "") for label, letters in ALLOWED[role].items() if "v" in letters and label in owned}


@pytest.mark.clause("C36")
@pytest.mark.parametrize("role", [SUPPORT, FINANCE, PRIVACY_OFFICER])
def test_each_role_sees_the_sections_it_may_view_and_no_other(client, customer_a, role):  # noqa: F811
    client.force_login(_staff(f"o-{role.replace(' ', '-')}", roles=[role]))
    response = client.get(_url(customer_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert _sections(page) == _expected(role, customer_a)
    assert customer_a.username in page


@pytest.mark.parametrize("role", [SUPPORT, FINANCE, PRIVACY_OFFICER])
def test_every_link_on_the_overview_opens_for_the_role_that_sees_it(client, customer_a, role):  # noqa: F811
    client.force_login(_staff(f"l-{role.replace(' ', '-')}", roles=[role]))
    page = client.get(_url(customer_a)).content.decode()
    main = page.split('id="content-main"', 1)[1]
    links = set(re.findall(r'<a (?:class="overview-all" )?href="(/admin/[^"]+)"', main))
    assert links, "the overview links to the customer's rows"
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link


def test_a_filtered_list_shows_only_the_customers_own_rows(client, customer_a):  # noqa: F811
    from orders.models import Order

    other = UserFactory(username="andere-klant")
    theirs = Order.objects.filter(user=customer_a).first()
    client.force_login(_staff("o-finance-filter", roles=[FINANCE]))
    page = client.get(_url(customer_a)).content.decode()
    link = re.search(r'<section[^>]+id="overview-ordersorder".*?href="([^"]+\?user__id__exact=\d+)"', page, re.S)
    assert link, "the orders section links to the customer's orders"
    listing = client.get(link.group(1)).content.decode()
    assert f"/admin/orders/order/{theirs.pk}/change/" in listing
    assert other.username not in listing


def test_the_overview_asks_one_query_per_section_whatever_the_customer_holds(client, customer_a):  # noqa: F811
    from credits.services import credits_grant

    viewer = _staff("o-super", superuser=True)
    client.force_login(viewer)
    client.get(_url(customer_a))  # the session's first request
    with CaptureQueriesContext(connection) as few:
        page = client.get(_url(customer_a)).content.decode()
    for number in range(8):
        credits_grant(user=customer_a, amount=1, reason="test", idempotency_key=f"overview-{number}")
    with CaptureQueriesContext(connection) as many:
        client.get(_url(customer_a))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= len(_sections(page)) + 12, [q["sql"] for q in few.captured_queries]


def test_a_customer_cannot_open_the_overview_and_the_user_pages_link_to_it(client, customer_a):  # noqa: F811
    client.force_login(customer_a)
    assert client.get(_url(customer_a)).status_code == 302  # to the admin login
    client.force_login(_staff("o-support-links", roles=[SUPPORT]))
    change = client.get(reverse("admin:accounts_user_change", args=[customer_a.pk])).content.decode()
    assert _url(customer_a) in change
    changelist = client.get(reverse("admin:accounts_user_changelist") + f"?q={customer_a.username}")
    assert _url(customer_a) in changelist.content.decode()


def test_the_user_list_hides_demo_accounts_by_default_and_says_so(client, customer_a):  # noqa: F811
    demo = UserFactory(username="retention-demo-overview", is_demo=True)
    client.force_login(_staff("o-support-demo", roles=[SUPPORT]))
    url = reverse("admin:accounts_user_changelist")
    page = client.get(url).content.decode()
    assert customer_a.username in page and demo.username not in page
    assert "zonder demo-accounts" in page
    assert demo.username in client.get(url + "?kind=demo").content.decode()
    every = client.get(url + "?kind=all").content.decode()
    assert demo.username in every and customer_a.username in every


def test_the_user_list_is_searched_by_country_instead_of_a_filter_of_every_country(client, customer_a):  # noqa: F811
    french = UserFactory(username="klant-uit-frankrijk", country="FR")
    client.force_login(_staff("o-super-country", superuser=True))
    page = client.get(reverse("admin:accounts_user_changelist") + "?q=FR").content.decode()
    assert french.username in page and customer_a.username not in page
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Afghanistan" not in page
