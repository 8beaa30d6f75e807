"""Every model that holds personal data is declared, so no new model can hold it unnoticed."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from privacy import register
from privacy.declarations import declared_models, listed

PERSONAL_NAME = re.compile(
    r"(^|_)(e?mail|name|address|street|phone|ip|birth|photo|avatar|postal|town|city|gender|nickname|handle|"
    r"user_agent|iban|signature|recipient)(_|$)"
)
# Models whose "personal-looking" fields are not about a person, with the reason.
NOT_PERSONAL = {
    "auth.Group": "a staff role name",
    "auth.Permission": "a permission name",
    "contenttypes.ContentType": "a model name",
}


def _personal_reason(model: type[models.Model]) -> str | None:
    for field in model._meta.get_fields():
        if (
            field.is_relation
            and field.concrete
            and field.related_model is not None
            and field.related_model._meta.label == settings.AUTH_USER_MODEL
        ):
            return f"{field.name} points at the user"
        if field.concrete and not field.is_relation and PERSONAL_NAME.search(field.name):
            return f"{field.name} looks personal"
    return None


@pytest.mark.clause("C04")
def test_every_model_with_personal_data_is_declared():
    declared = declared_models()
    missing = []
    for model in apps.get_models():
        if model._meta.label in NOT_PERSONAL or model in declared:
            continue
        reason = _personal_reason(model)
        if reason:
            missing.append(f"{model._meta.label}: {reason}")
    assert not missing, "Declare these in their app's privacy.py:\n" + "\n".join(missing)


@pytest.mark.clause("C04")
def test_declared_fields_exist_and_purposes_are_in_the_register():
    for declaration in listed():
        for name in declaration.fields:
            declaration.model._meta.get_field(name)
        assert declaration.purpose in register.BY_ID


def test_the_register_has_the_ten_purposes_of_the_statement():
    assert [p.id for p in register.PURPOSES] == [f"P{n}" for n in range(1, 11)]
    assert register.rule("order_completed").period().years == 7
    assert register.rule("profiling_recorded").period().days == 42
