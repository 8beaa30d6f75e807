"""Demo data: the demo customer on the newsletter list, and a draft newsletter for staff to try."""

from newsletter import services
from newsletter.models import Newsletter


def seed(*, customer, staff, stdout, options) -> None:
    if customer is not None:
        services.subscriber_signup(user=customer, opted_out=False)
    Newsletter.objects.get_or_create(
        subject_nl="Nieuws van Netrex: PHP 8.4 staat klaar",
        defaults={
            "subject_en": "News from Netrex: PHP 8.4 is ready",
            "body_nl": "Hallo!\n\nVanaf vandaag kun je in het portaal PHP 8.4 kiezen voor je website.",
            "body_en": "Hello!\n\nFrom today you can choose PHP 8.4 for your website in the portal.",
        },
    )
    stdout.write("newsletter: demo customer subscribed, one draft newsletter\n")
