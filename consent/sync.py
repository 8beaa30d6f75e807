"""Keep the consent record ("My privacy") in step with choices made through other apps' routes (newsletter, statistics).

A customer who unsubscribes from an email link or objects on the preferences page has withdrawn
consent for P7 or P10 as much as one who flips the switch on the privacy page; the consent record
says so too.  The calling app made the change itself, so recording it here runs no effects (an
advertising channel switched on must not switch on the other channels through P10's effect).
"""

from django.http import HttpRequest

from accounts.models import User

# How a choice reached us, in the consent app's terms.
METHODS = {
    "portal": "portal",
    "privacy_page": "privacy_page",
    "account": "portal",
    "signup": "signup",
    "link": "link",
    "one_click": "link",
    "email_link": "link",
    "phone": "staff_phone",
    "social": "staff_social",
    "staff": "staff_other",  # by letter or another way
}


def consent_record(
    *,
    user: User,
    purpose_id: str,
    given: bool,
    method: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    scope: str = "",
    ground: str = "",
    text_version: str = "",
    always: bool = False,
) -> None:
    """Record a choice made through another app's route; nothing when the record already says the same.

    ``always`` records it even then (sign-up: every choice offered is proof, also "no"); ``scope`` records
    one part of a purpose (an advertising channel) and runs no effects.
    """
    if method not in METHODS:  # "consent": the change came from the consent app itself
        return
    from consent import selectors, services  # at call time: services import the apps whose effects they run

    if not always and selectors.consent_given(user=user, purpose_id=purpose_id, scope=scope) == given:
        return  # the record says so already (no record: not given)
    services.consent_set(
        user=user,
        purpose_id=purpose_id,
        given=given,
        method=METHODS[method],
        request=request,
        actor=actor,
        scope=scope,
        ground=ground,
        text_version=text_version,
        run_effects=False,  # the calling app made the change itself
    )
