"""What a purchase is for: the customer's hosting packages and domains, as the commerce apps see them.

The commerce apps (orders, subscriptions) sit below ``hosting`` in the layers and may not import it,
yet an add-on, a plan or a domain is bought *for* something the customer has.  ``hosting`` registers,
in its ``AppConfig.ready``, a source that lists a customer's targets and a check that says whether a
new domain can be registered; the commerce apps ask this kernel module.  Without a registered source
(``hosting`` not installed) a customer has no targets and every well-formed domain passes.

A target is referred to by ``ref`` (e.g. ``"service:42"``), which an order line or a subscription
stores; the app that registered the source resolves it again when the purchase is paid.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    ref: str  # stable reference stored on the purchase, e.g. "service:42"
    kind: str  # "hosting" or "domain"
    domain: str  # the domain it serves ("" while a package has none)
    label: str  # what the customer reads, in the active language


TargetSource = Callable[[object], Iterable[Target]]
DomainCheck = Callable[[str], str | None]

_sources: list[TargetSource] = []
_domain_checks: list[DomainCheck] = []


def register_target_source(source: TargetSource) -> None:
    if source not in _sources:
        _sources.append(source)


def register_domain_check(check: DomainCheck) -> None:
    if check not in _domain_checks:
        _domain_checks.append(check)


def targets_for(user) -> list[Target]:
    """Every target the customer may buy for, from every registered source."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [target for source in _sources for target in source(user)]


def target_for(user, ref: str) -> Target | None:
    """The customer's target with this reference, or None (someone else's or gone)."""
    return next((target for target in targets_for(user) if target.ref == ref), None)


def domain_problem(domain: str) -> str | None:
    """Why this domain can't be registered (a message in the active language), or None if it can."""
    for check in _domain_checks:
        problem = check(domain)
        if problem:
            return problem
    return None
