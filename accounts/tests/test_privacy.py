"""C24: the profile (P9) is kept for as long as the account exists, and goes with it."""

import pytest

from accounts.models import User
from privacy import declarations


@pytest.mark.clause("C24")
def test_profile_data_has_no_retention_clock_while_the_account_is_open():
    profile = [d for d in declarations.for_model(User) if d.purpose == "P9" and "street" in d.fields]
    assert len(profile) == 1
    declaration = profile[0]
    assert declaration.rule is None and declaration.clock is None  # nothing deletes it while the account is open
    assert declaration.on_closure == declarations.Erase.DELETE  # closing the account takes it along
    assert "photo" in declaration.files
    # The only clock on a user row is the one for sign-ups that were never confirmed.
    timed = [d for d in declarations.for_model(User) if d.rule]
    assert [d.rule for d in timed] == ["account_stale"]
    assert timed[0].extra_filter is not None
