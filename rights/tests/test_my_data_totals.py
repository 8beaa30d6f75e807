"""The counts of "my data" come from one query for every declaration (bench: customer pages <= 12 queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Activity
from privacy import declarations as registry
from rights import selectors
from rights.models import DataExport


@pytest.mark.django_db
def test_totals_of_every_declaration_in_one_query_equal_the_separate_aggregates(customer):
    Activity.objects.bulk_create([Activity(user=customer, action="logged_in") for _ in range(7)])
    DataExport.objects.create(user=customer)
    emails = registry.user_emails(customer)
    declarations = registry.listed()
    with CaptureQueriesContext(connection) as ctx:
        totals = selectors.totals_for(declarations, customer, emails)
    assert len(ctx.captured_queries) == 1
    assert len(totals) >= len(declarations) - 1  # one row per declaration, empty ones included
    for index, declaration in enumerate(declarations):
        separate = selectors.item_for(declaration, customer, emails)
        combined = selectors.item_for(declaration, customer, emails, totals.get(index))
        assert (combined.count, combined.first_expiry, combined.last_expiry, combined.waiting) == (
            separate.count,
            separate.first_expiry,
            separate.last_expiry,
            separate.waiting,
        ), declaration.key
    counts = {declarations[i].model: row["n"] for i, row in totals.items() if row["n"]}
    assert counts[Activity] == 7
    assert counts[DataExport] == 1


@pytest.mark.django_db
def test_my_data_page_queries_do_not_grow_with_the_declarations(customer_client, customer):
    from django.urls import reverse

    customer_client.get(reverse("rights:my_data"))
    with CaptureQueriesContext(connection) as ctx:
        response = customer_client.get(reverse("rights:my_data"))
    assert response.status_code == 200
    statements = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    ]
    assert len(statements) <= 12, statements


@pytest.mark.django_db
def test_the_once_compiled_totals_query_answers_what_the_orm_union_answers(customer):
    from allauth.account.models import EmailAddress

    from accounts.tests.factories import UserFactory

    other = UserFactory()
    EmailAddress.objects.create(user=customer, email="tweede@example.nl", verified=True)
    Activity.objects.bulk_create([Activity(user=customer, action="logged_in") for _ in range(3)])
    Activity.objects.create(user=other, action="logged_in")
    DataExport.objects.create(user=customer)
    declarations = registry.listed()
    for user in (customer, other, customer):  # the second time for the same shape comes from the cache
        emails = registry.user_emails(user)
        expected = {
            index: {"n": n or 0, "first": first, "last": last, "waiting": waiting or 0}
            for index, n, first, last, waiting in selectors._totals_union(declarations, user, emails)
        }
        assert selectors.totals_for(declarations, user, emails) == expected
    counts = selectors.totals_for(declarations, customer, registry.user_emails(customer))
    assert counts[next(i for i, d in enumerate(declarations) if d.model is Activity)]["n"] == 3
