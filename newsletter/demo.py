"""Demo data: the demo customer on the newsletter list, and a draft newsletter for staff to try."""

from newsletter import services
from newsletter.models import Newsletter, Subscriber
from portal import demo


def seed(*, customer, staff, stdout, options) -> None:
    if customer is not None and not Subscriber.objects.filter(user=customer).exists():
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


def life(*, customer, staff, stdout, options) -> None:
    """A consent history: advertising by e-mail allowed at first, then withdrawn on the preferences page."""
    from consent.models import ConsentRecord
    from consent.services import consent_set

    if customer is None or ConsentRecord.objects.filter(user=customer, purpose="P10").exists():
        return
    consent_set(user=customer, purpose_id="P10", given=True, method="portal", scope="email")
    consent_set(user=customer, purpose_id="P10", given=False, method="portal", scope="email")
    stdout.write("  consent: advertising by e-mail allowed, then withdrawn")


demo.register_life(life, order=50)
