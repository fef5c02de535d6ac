"""The extractor the rule tests share (loading the spaCy model once for the folder)."""

import pytest


@pytest.fixture(scope="session")
def extractor():
    from lgkg.extract.pipeline import Extractor

    return Extractor()
