"""Demo data: one contact request of the demo customer, waiting for an answer."""

from contact import services
from contact.models import ContactRequest


def seed(*, customer, staff, stdout, options) -> None:
    if customer is None or ContactRequest.objects.filter(user=customer).exists():
        return
    services.contact_submit(
        data={
            "email": customer.email,
            "name": customer.get_full_name(),
            "subject": "Mijn e-mail komt niet aan",
            "message": "Sinds gisteren komen mails naar info@ niet meer binnen. Kunnen jullie kijken?",
        },
        user=customer,
    )
    stdout.write("contact: one demo request waiting for an answer\n")
