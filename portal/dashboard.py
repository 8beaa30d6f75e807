"""Panels on the customer's dashboard, rendered once per customer and kept until their data changes.

Each app that has something to show the customer on the dashboard registers a panel from its
``AppConfig.ready``: a callable that takes the user and returns the template to include and its
context, or ``None`` when it has nothing to show, together with the models the panel reads
(``reads``).  A panel runs a bounded number of queries.

The panels of one customer are rendered together and kept in the cache per customer and language
(``panels_html``), so a dashboard that nothing changed costs one cache read instead of a query per
panel.  What renews them:

- a save or delete of a row of a model some panel reads (of an append-only log: a new row).  A row
  that belongs to a customer (found through the owner lookup of the model's privacy declaration,
  ``privacy/declarations.py``) renews that customer's panels; a row that belongs to no one (a
  product, a plan, a newsletter signup by email alone) renews everyone's;
- ``touch(user_id)``, which services call after changing such rows with ``QuerySet.update()``
  (which sends no signal);
- time: an entry lives ``DASHBOARD_CACHE_SECONDS`` at most, for text that depends on the date.

Renewal happens at once and again after the transaction commits, so a dashboard rendered from
data that is about to change can never outlive the change.  When the cache cannot be reached the panels are rendered on
every request.  A form in a panel gets the requesting session's CSRF token when the page is served,
never a cached one.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from portal import cached_copies

T = TypeVar("T")


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]
    order: int = 100


PanelFactory = Callable[[Any], Panel | None]
_factories: list[PanelFactory] = []
_reads: dict[PanelFactory, tuple[str, ...]] = {}

# Stands in for the CSRF token in the cached HTML; replaced by the session's token when served.
CSRF_PLACEHOLDER = "csrf-token-placeholder-3f9c2a71"
EVERYONE_KEY = "dashboard:generation"


def register(factory: PanelFactory, *, reads: Iterable[str], appends: Iterable[str] = ()) -> PanelFactory:
    """Add ``factory``'s panel; ``reads``: the labels (``"orders.Order"``) of every model it queries.

    ``appends``: models it queries whose rows are only ever added, never changed: an append-only log
    (the activity log), the lines of an order.  A new row renews the panel; such rows leave only in
    bulk, through the retention sweep or with their parent, and that renews nothing (the panel
    follows within ``DASHBOARD_CACHE_SECONDS``, or with the parent's own delete): a delete signal
    would make Django fetch every row such a delete removes.
    """
    labels = tuple(reads)
    for label in (*labels, *appends):
        model = apps.get_model(label)
        uid = f"accounts.dashboard:{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        if label in labels:
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
    if factory not in _factories:
        _factories.append(factory)
    _reads[factory] = (*labels, *appends)
    return factory


def reads_of(factory: PanelFactory) -> tuple[str, ...]:
    return _reads.get(factory, ())


def factories() -> list[PanelFactory]:
    return list(_factories)


def panels_for(user) -> list[Panel]:
    user.__dict__.pop(_SHARED, None)  # what one render shared is never seen by the next
    try:
        panels = [panel for factory in _factories if (panel := factory(user)) is not None]
    finally:
        user.__dict__.pop(_SHARED, None)
    return sorted(panels, key=lambda panel: panel.order)


_SHARED = "_dashboard_shared"


def shared(user, key: str, compute: Callable[[], T]) -> T:
    """What two panels of one render both need (the balance, the open subscriptions), asked once.

    Kept on the user object for the length of ``panels_for`` only, so the dashboard's query count does
    not grow with the panels that show the same rows (the attention panel and the app's own).
    """
    memo = user.__dict__.setdefault(_SHARED, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def panels_html(request: HttpRequest) -> SafeString:
    """The customer's panels as HTML: from the cache when nothing they read has changed since."""
    user = request.user

    def render() -> str:
        # Rendered without the request: a panel depends on its customer and the language, nothing else.
        context = {"panels": panels_for(user), "user": user, "csrf_token": CSRF_PLACEHOLDER}
        return render_to_string("portal/_panels.html", context)

    html = cached_copies.get_or_make(
        _html_key(user.pk, translation.get_language()),
        [EVERYONE_KEY, _user_key(user.pk)],
        render,
        settings.DASHBOARD_CACHE_SECONDS,
    )
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped it


def touch(user_id: int | None = None) -> None:
    """Renew the panels of ``user_id`` (``None``: of everyone), now and once the transaction commits.

    A customer's own copies are dropped as well, so that no copy of data that was changed or erased
    (an account closure) stays in the cache until it expires.
    """
    if user_id is None:
        cached_copies.renew_now_and_on_commit(EVERYONE_KEY)
        return
    cached_copies.renew_now_and_on_commit(_user_key(user_id))
    cached_copies.delete_now_and_on_commit(*(_html_key(user_id, language) for language, _name in settings.LANGUAGES))
    if _data_copies:
        cached_copies.delete_now_and_on_commit(*(data_copy_key(name, user_id) for name in sorted(_data_copies)))
    cached_copies.delete_now_and_on_commit(*page_slot_keys(user_id))


def _user_key(user_id) -> str:
    return f"dashboard:generation:{user_id}"


def _html_key(user_id, language: str) -> str:
    return f"dashboard:html:{user_id}:{language}"


def watch(*labels: str) -> None:
    """Renew the copies that show rows of ``labels`` when such a row is saved or deleted.

    Called where the page that shows them is defined (its views module, loaded with the URLconf by every web
    process) or from ``AppConfig.ready``.

    For models a cached page reads that are not declared personal data and so are not watched by
    ``watch_data``: a product, a plan, a statement version.  A row that belongs to a customer renews
    that customer's copies, any other row everyone's, as for the models a panel reads.
    """
    for label in labels:
        model = apps.get_model(label)
        uid = f"accounts.dashboard:{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)


def _changed(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    owners = _owners(instance)
    if owners is None:
        touch(None)
        return
    for owner in owners:
        touch(owner)


def _owners(instance: models.Model) -> set | None:
    """The ids of the customers ``instance`` belongs to, by its declarations; ``None``: no one in particular."""
    from privacy import declarations as registry

    owners = set()
    for declaration in registry.for_model(type(instance)):
        if not declaration.owner:
            continue
        try:
            owner = _follow(instance, declaration.owner)
        except ObjectDoesNotExist:
            return None
        if owner is not None:
            owners.add(owner)
    return owners or None


def _follow(instance: models.Model, lookup: str):
    """The value at the end of ``lookup`` (``"order__user"``) from ``instance``, reading the last key's id."""
    *path, last = lookup.split("__")
    current = instance
    for name in path:
        current = getattr(current, name)
        if current is None:
            return None
    if last == "pk":
        return current.pk
    return getattr(current, current._meta.get_field(last).attname)


# -- The generation of everything a customer holds ------------------------------------------------------
# Copies of what the declarations (``privacy/declarations.py``) hold on a customer are kept per customer and
# used only while the generations they were made under are unchanged.  Two kinds:
#
# - data copies (``register_data_copy``; the totals and the body of "my data"), made under
#   ``data_generation_keys``: they show every kind of declared data, so any change of it renews them;
# - page copies (``portal/page_copies.py``; the order list, the activity log, ...), made under
#   ``page_generation_keys`` and kept in ``PAGE_SLOTS`` slots per customer: they show what the customer did
#   (orders, payments, consents, services), not what was recorded about their browsing, so the bulk record
#   of page views (``data_touch(..., pages=False)``) leaves them as they are.
#
# What renews both: a save of a row of any declared model (its owners'), which includes the activity-log
# row that every customer-visible write records (so also a delete made by a service); every ``touch`` of
# the dashboard (services call it after ``QuerySet.update()``); ``data_touch`` (bulk writes: the retention
# sweep's records of what it removed); and time.  A declared row that belongs to no customer (a newsletter
# signup by address alone) renews everyone's data copies, no page copy: no customer's page shows it.  Deletes
# are not watched by signal: a delete signal makes Django fetch every row a bulk delete removes.
#
# Not watched: the updates of the models in ``QUIET_UPDATES``.  allauth re-saves a session's row with its
# "last seen" time about once a minute (``accounts.middleware.UserSessionActivityMiddleware``); renewing
# every copy of the customer for that would make every copy last a minute.  A new session (a login) still
# renews them, and "my data" shows a session's "last seen" as it was when the copy was made, at most
# ``MY_DATA_CACHE_SECONDS`` old.

DATA_EVERYONE_KEY = "data:generation"
PAGES_EVERYONE_KEY = "pages:generation"
# Page copies per customer: a copy lives in the slot its address hashes to, so that a customer's copies can
# all be dropped by name (``touch``, account closure) without a list of them; two addresses that share a slot
# take turns.
PAGE_SLOTS = 128
QUIET_UPDATES = frozenset({"usersessions.UserSession"})
_data_copies: set[str] = set()


def register_data_copy(name: str) -> None:
    """A per-customer copy of declared data named ``name``: dropped by ``data_touch`` and account closure."""
    _data_copies.add(name)


def data_copy_key(name: str, user_id) -> str:
    return f"data:{name}:{user_id}"


def _data_user_key(user_id) -> str:
    return f"data:generation:{user_id}"


def _pages_user_key(user_id) -> str:
    return f"pages:generation:{user_id}"


def data_generation_keys(user_id) -> list[str]:
    """The generations a copy of ``user_id``'s declared data is made under: the dashboard's and the data's."""
    return [EVERYONE_KEY, _user_key(user_id), DATA_EVERYONE_KEY, _data_user_key(user_id)]


def page_generation_keys(user_id) -> list[str]:
    """The generations a copy of one of ``user_id``'s pages is made under: the dashboard's and the pages'."""
    return [EVERYONE_KEY, _user_key(user_id), PAGES_EVERYONE_KEY, _pages_user_key(user_id)]


def page_slot_key(user_id, slot: int) -> str:
    return f"pages:{user_id}:{slot}"


def page_slot_keys(user_id) -> list[str]:
    return [page_slot_key(user_id, slot) for slot in range(PAGE_SLOTS)]


def data_touch(user_ids: Iterable[int] | None = None, *, pages: bool = True) -> None:
    """Renew the data copies of ``user_ids`` (``None``: of everyone), now and once the transaction commits.

    ``pages``: their page copies too; ``False`` for data no page but "my data" shows (recorded page views).
    """
    if user_ids is None:
        cached_copies.renew_now_and_on_commit(DATA_EVERYONE_KEY)
        if pages:
            cached_copies.renew_now_and_on_commit(PAGES_EVERYONE_KEY)
        return
    for user_id in set(user_ids):
        cached_copies.renew_now_and_on_commit(_data_user_key(user_id))
        if _data_copies:
            cached_copies.delete_now_and_on_commit(*(data_copy_key(name, user_id) for name in sorted(_data_copies)))
        if pages:
            cached_copies.renew_now_and_on_commit(_pages_user_key(user_id))
            cached_copies.delete_now_and_on_commit(*page_slot_keys(user_id))


def _data_changed(sender: type[models.Model], instance: models.Model, created: bool = False, **kwargs) -> None:
    if not created and sender._meta.label in QUIET_UPDATES:
        return
    owners = _owners(instance)
    if owners is None:
        data_touch(None, pages=False)
        return
    data_touch(owners)


def _data_changed_everyone(sender: type[models.Model], **kwargs) -> None:
    data_touch(None)


def watch_data(*, everyone: Iterable[str] = ()) -> None:
    """Connect the renewal of data copies to a save of every declared model (call from ``AppConfig.ready``).

    ``everyone``: labels of models whose save means rows of anyone may have gone (the sweep's records).
    """
    from privacy import declarations as registry

    for model in registry.declared_models():
        post_save.connect(_data_changed, sender=model, dispatch_uid=f"portal.data:{model._meta.label}", weak=False)
    for label in everyone:
        model = apps.get_model(label)
        post_save.connect(_data_changed_everyone, sender=model, dispatch_uid=f"portal.data-all:{label}", weak=False)
