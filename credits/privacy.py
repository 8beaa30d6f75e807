"""Personal data of the credits app (P8): the ledger is a financial record, kept seven years and
detached (not deleted) when the account is closed; the cached balance goes with the account."""

from credits.models import CreditBalance, CreditEntry
from privacy.declarations import Declaration, Erase, register
from privacy.register import Event


def _describe(row: CreditEntry) -> str:
    return f"{row.created_at:%Y-%m-%d} {row.delta:+d} {row.reason}"


register(
    Declaration(
        model=CreditEntry,
        purpose="P8",
        fields=("delta", "reason", "balance_after", "created_at"),
        rule="credits_completed",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        describe=_describe,
        label="Credit ledger",
    ),
    Declaration(
        model=CreditBalance,
        purpose="P8",
        fields=("balance", "updated_at"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Credit balance",
    ),
)
