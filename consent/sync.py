"""Keep the consent record ("My privacy") in step with choices made through other apps' routes (newsletter, statistics).

A customer who unsubscribes from an email link or objects on the preferences page has withdrawn
consent for P7 or P10 as much as one who flips the switch on the privacy page; the consent record
says so too.  The consent app runs this app's effects when it records a change; those effects end
here again, find the record already saying the same, and stop: there is no loop.
"""

from django.http import HttpRequest

from accounts.models import User

# How a choice reached us, in the consent app's terms.
METHODS = {
    "portal": "portal",
    "account": "portal",
    "signup": "signup",
    "link": "link",
    "one_click": "link",
    "email_link": "link",
    "phone": "staff_phone",
    "social": "staff_phone",
    "staff": "staff_phone",
}


def consent_record(
    *,
    user: User,
    purpose_id: str,
    given: bool,
    method: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
) -> None:
    if method not in METHODS:  # "consent": the change came from the consent app itself
        return
    from consent import selectors, services  # at call time: services import the apps whose effects they run

    if selectors.consent_given(user=user, purpose_id=purpose_id) == given:
        return
    services.consent_set(
        user=user, purpose_id=purpose_id, given=given, method=METHODS[method], request=request, actor=actor
    )
