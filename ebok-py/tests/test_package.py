import pytest

import ebok


def test_version_matches_the_rust_crate() -> None:
    assert ebok.__version__ == ebok.version()
    assert ebok.__version__.count(".") == 2


def test_terms_of_use_in_both_languages() -> None:
    pl = ebok.terms_of_use()
    en = ebok.terms_of_use("en")
    assert len(pl) == len(en) >= 7
    assert any("nie zna hasła" in r for r in pl)
    assert any("Seven failed logins" in r for r in en)
    with pytest.raises(ebok.PolicyError):
        ebok.terms_of_use("de")
