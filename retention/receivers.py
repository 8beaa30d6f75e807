"""How the retention app reacts to other apps' events."""

from retention.models import AccountClosure


def account_closed(sender, *, counts: dict[str, int], **kwargs) -> None:
    """Log the closure (counts per model and strategy, no personal data), in the closing transaction."""
    AccountClosure.objects.create(counts=counts)
