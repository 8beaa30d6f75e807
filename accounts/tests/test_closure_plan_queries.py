"""The account-closure page counts what is kept in one query, however many declarations detach (bench)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import closure
from privacy import declarations as declaration_registry
from privacy.declarations import Erase


@pytest.mark.django_db
def test_closure_plan_counts_every_detached_declaration_in_one_query(customer):
    detached = [d for d in declaration_registry.all_declarations() if d.on_closure == Erase.DETACH]
    assert len(detached) > 1
    emails = declaration_registry.user_emails(customer)
    with CaptureQueriesContext(connection) as ctx:
        counts = closure._counts(detached, customer, emails)
    assert len(ctx.captured_queries) == 1
    for index, declaration in enumerate(detached):
        assert counts.get(index, 0) == declaration.for_user(customer, emails=emails).count(), declaration.key
    with CaptureQueriesContext(connection) as ctx:
        closure.closure_plan(user=customer)
    assert len(ctx.captured_queries) <= 2 + (len(detached) - len(counts))
