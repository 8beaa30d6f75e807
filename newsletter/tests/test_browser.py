"""A visitor subscribes, confirms from the email, receives a newsletter and unsubscribes from its link."""

import re

import pytest
from django.core import mail

from newsletter import services
from newsletter.models import Newsletter, Subscriber, Suppression


def _local(url: str, live_server) -> str:
    return live_server.url + "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C18", "C19")
def test_subscribe_receive_and_unsubscribe_from_the_mails_link(page, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/nieuwsbrief/")
    page.fill("#id_email", "lezer@example.nl")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("#subscribe-sent")

    confirm = re.search(r"http\S+/nieuwsbrief/bevestigen/\S+/", mail.outbox[-1].body).group(0)
    page.goto(_local(confirm, live_server))
    page.click("#confirm-button")
    page.wait_for_selector("#subscribed")
    assert Subscriber.objects.get().email == "lezer@example.nl"

    newsletter = Newsletter.objects.create(subject_nl="Nieuws", subject_en="News", body_nl="Tekst", body_en="Text")
    services.newsletter_send_start(newsletter=newsletter)  # queued on commit, run by the (eager) task
    message = mail.outbox[-1]
    assert message.to == ["lezer@example.nl"] and message.subject == "Nieuws"

    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    page.goto(_local(unsubscribe, live_server))
    page.click("#unsubscribe-button")
    page.wait_for_selector("#unsubscribed")
    assert not Subscriber.objects.exists()
    assert Suppression.objects.count() == 1
