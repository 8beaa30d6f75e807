"""The database connection dropped and restored: the next request succeeds (C36).

A real threaded server (``live_server``) serves the pages from the connection pool; every one of
its connections is terminated by PostgreSQL (``pg_terminate_backend``, as a database restart or a
failover does), and the next request must still succeed: the pool checks a connection before
handing it out (``CONN_HEALTH_CHECKS``).
"""

import pytest
import requests
from django.db import connection

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db(transaction=True)]


def _terminate_the_others() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def pooled():
    """The suite connects per thread (test settings); this test needs the production pool."""
    from django.db import connections

    options = connections.settings["default"]["OPTIONS"]
    options["pool"] = {"min_size": 2, "max_size": 10, "timeout": 10}
    yield
    connection.close_pool()
    options.pop("pool", None)


def test_the_next_request_after_the_database_dropped_every_connection_succeeds(pooled, live_server):
    UserFactory(username="klant", password="Lang-genoeg-wachtwoord-7")
    session = requests.Session()
    login = f"{live_server.url}/account/login/"
    for _ in range(3):  # several pooled connections in use
        assert session.get(login, timeout=10).status_code == 200

    assert _terminate_the_others() >= 1

    response = session.get(login, timeout=10)
    assert response.status_code == 200
    token = session.cookies["csrftoken"]
    response = session.post(
        login,
        data={"login": "klant", "password": "Lang-genoeg-wachtwoord-7", "csrfmiddlewaretoken": token},
        headers={"Referer": login},
        timeout=10,
    )
    assert response.status_code == 200 and response.url.rstrip("/") == live_server.url  # the dashboard
