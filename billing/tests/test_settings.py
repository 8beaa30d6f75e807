"""Production refuses to start without the seller's KvK number and btw-identificatienummer."""

import subprocess
import sys

import pytest

from tests.test_deploy import ROOT, _production_env


@pytest.mark.clause("C36")
@pytest.mark.parametrize(
    ("name", "value"),
    [("NETREX_KVK_NUMBER", ""), ("NETREX_VAT_ID", ""), ("NETREX_KVK_NUMBER", "1234"), ("NETREX_VAT_ID", "NL1234")],
)
def test_production_refuses_to_start_without_kvk_and_btw_id(name, value):
    env = _production_env() | {name: value}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "NETREX_KVK_NUMBER (8 digits) and NETREX_VAT_ID" in result.stderr


def test_production_starts_with_them():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
