import ebok


def test_version_matches_the_rust_crate() -> None:
    assert ebok.__version__ == ebok.version()
    assert ebok.__version__.count(".") == 2
