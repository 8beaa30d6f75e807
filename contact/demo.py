"""Demo data: two contact requests of the demo customer, one answered by staff and one waiting for an answer."""

from contact import services
from contact.models import ContactRequest
from portal import demo


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


def life(*, customer, staff, stdout, options) -> None:
    """An earlier question, answered by the staff member (the customer can say whether it helped)."""
    if customer is None or staff is None:
        return
    if ContactRequest.objects.filter(user=customer, answered_at__isnull=False).exists():
        return
    question = services.contact_submit(
        data={
            "email": customer.email,
            "name": customer.get_full_name(),
            "subject": "Hoe zet ik HTTPS aan?",
            "message": "Ik wil dat mijn website altijd via https opent. Waar zet ik dat aan?",
        },
        user=customer,
    )
    services.contact_answer(
        contact_request=question,
        answer="Onder Diensten > je hostingpakket > HTTPS zet je 'Altijd HTTPS' aan. Het certificaat is gratis.",
        staff=staff,
    )
    stdout.write("  contact: one request answered by staff")


demo.register_life(life, order=40)
