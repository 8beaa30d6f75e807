"""How the rights app reacts to other apps' events."""

from django.utils import timezone

from rights.models import RequestEvent, RightsRequest

CLOSED_WITH_ACCOUNT = "Closed because the account was closed."


def account_erasing(sender, *, user, **kwargs) -> None:
    """An open privacy request of a closing account is finished: kept as evidence, its clock started.

    Closure detaches requests (the evidence of how we dealt with them); one still open would never
    get a ``completed_at`` and so would be kept for ever.
    """
    now = timezone.now()
    open_requests = RightsRequest.objects.select_for_update().filter(
        user=user,
        status__in=[RightsRequest.Status.RECEIVED, RightsRequest.Status.IN_PROGRESS, RightsRequest.Status.EXTENDED],
    )
    for request in open_requests:
        request.status = RightsRequest.Status.COMPLETED
        request.completed_at = now
        request.save(update_fields=["status", "completed_at"])
        RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.COMPLETED, note=CLOSED_WITH_ACCOUNT)
