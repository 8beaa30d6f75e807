"""The account-closure page reads every listed declaration in one query, however many there are (bench)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import closure
from privacy import declarations as declaration_registry


@pytest.mark.django_db
def test_closure_plan_reads_every_listed_declaration_in_one_query(customer):
    listed = declaration_registry.listed()
    emails = declaration_registry.user_emails(customer)
    with CaptureQueriesContext(connection) as ctx:
        totals = closure._totals(listed, customer, emails)
    assert len(ctx.captured_queries) == 1
    for index, declaration in enumerate(listed):
        assert totals.get(index, (0,))[0] == declaration.for_user(customer, emails=emails).count(), declaration.key
    with CaptureQueriesContext(connection) as ctx:
        closure.closure_plan(user=customer)
    # the addresses, the totals, and one query per app that says what it will end
    assert len(ctx.captured_queries) <= 2 + len(closure._endings)
