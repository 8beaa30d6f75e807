"""Writes of the accounts app: the activity log, the profile and the photo.

Every write path of the portal records what the customer did through ``activity_record``, inside
the transaction of the change itself (requests are atomic, and the services open their own
transaction for callers outside a request).
"""

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.photos import photo_normalise
from portal.activity import activity_record

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "nickname",
    "street",
    "postal_code",
    "town",
    "country",
    "phone",
    "gender",
    "birth_date",
    "billing_same_as_address",
    "billing_name",
    "billing_street",
    "billing_postal_code",
    "billing_town",
    "billing_country",
)

# Fields the customer may delete on their own (C39d): emptying them loses nothing we must keep.
OPTIONAL_FIELDS = ("nickname", "phone", "gender", "birth_date")


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any], request: HttpRequest | None = None) -> list[str]:
    """Apply the changed profile fields and log which fields changed (never their old values)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = []
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        new = data[field]
        if new is None and field != "birth_date":
            new = ""
        if getattr(user, field) != new:
            setattr(user, field, new)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
        activity_record(user=user, action=AccountAction.PROFILE_CHANGED, request=request, detail={"fields": changed})
    return changed


@transaction.atomic
def profile_field_clear(*, user: User, field: str, request: HttpRequest | None = None) -> bool:
    """Delete one optional item of the profile (C39d)."""
    if field not in OPTIONAL_FIELDS:
        raise ValueError(f"{field} is not an optional profile field")
    empty = None if field == "birth_date" else ""
    return bool(profile_update(user=user, data={field: empty}, request=request))


@transaction.atomic
def photo_set(*, user: User, upload: UploadedFile, request: HttpRequest | None = None) -> None:
    """Store a new profile photo: checked and re-encoded by Pillow, under a random name.

    Raises ``django.core.exceptions.ValidationError`` with a message for the customer when the
    upload is not an acceptable image.
    """
    content = photo_normalise(upload)
    user = User.objects.select_for_update().get(pk=user.pk)
    old_name = user.photo.name
    user.photo.save("photo.jpg", content, save=False)
    user.save(update_fields=["photo"])
    activity_record(user=user, action=AccountAction.PHOTO_CHANGED, request=request)
    if old_name:
        _delete_file_on_commit(old_name)


@transaction.atomic
def photo_remove(*, user: User, request: HttpRequest | None = None) -> bool:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.photo:
        return False
    old_name = user.photo.name
    user.photo = ""
    user.save(update_fields=["photo"])
    activity_record(user=user, action=AccountAction.PHOTO_REMOVED, request=request)
    _delete_file_on_commit(old_name)
    return True


def _delete_file_on_commit(name: str) -> None:
    from django.core.files.storage import default_storage

    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def language_set(*, user: User, language: str, request: HttpRequest | None = None) -> None:
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    activity_record(user=user, action=AccountAction.LANGUAGE_CHANGED, request=request, detail={"language": language})
