"""The admin's change log names objects by kind and id, never by what they say about a person.

Django writes ``str(obj)`` into ``django_admin_log.object_repr`` (a customer's username or e-mail
address, the subject of their contact request) and the names of added or deleted inline objects
into ``change_message``, and keeps them for ever: after the sweep or closure erased the row, "#9
<the customer's own subject>" stayed.  Every entry is rewritten before it is saved to "<model> #<id>",
so the log proves who changed which record when, and holds no personal data of its own.
"""

import json

from django.contrib.admin.models import LogEntry


def representation(entry: LogEntry) -> str:
    model = entry.content_type.model if entry.content_type_id else "object"
    return f"{model} #{entry.object_id}" if entry.object_id else model


def _scrub_message(message: str) -> str:
    """Keep the structure Django renders (added/changed/deleted, field names); drop inline objects' names."""
    try:
        parts = json.loads(message)
    except (TypeError, ValueError):
        return "" if message else message
    if not isinstance(parts, list):
        return ""
    for part in parts:
        if not isinstance(part, dict):
            continue
        for detail in part.values():
            if isinstance(detail, dict) and "object" in detail:
                detail["object"] = "#"
    return json.dumps(parts)


def scrub(sender, instance: LogEntry, **kwargs) -> None:
    instance.object_repr = representation(instance)[:200]
    instance.change_message = _scrub_message(instance.change_message)


def install() -> None:
    """Scrub every entry before it is written: one by ``save`` (``pre_save``), several by ``bulk_create``.

    Django's ``LogEntryManager.log_actions`` saves a single entry but writes several (the admin's
    "delete selected") with ``bulk_create``, which sends no signal; the manager's ``bulk_create`` is
    wrapped so that path is scrubbed too.
    """
    from django.db.models.signals import pre_save

    pre_save.connect(scrub, sender=LogEntry, dispatch_uid="portal.admin_log.scrub")
    manager = LogEntry.objects
    if getattr(manager.bulk_create, "scrubs_admin_log", False):
        return
    original = manager.bulk_create

    def bulk_create(objs, *args, **kwargs):
        objs = list(objs)
        for entry in objs:
            scrub(LogEntry, entry)
        return original(objs, *args, **kwargs)

    bulk_create.scrubs_admin_log = True  # type: ignore[attr-defined]
    manager.bulk_create = bulk_create  # type: ignore[method-assign]
