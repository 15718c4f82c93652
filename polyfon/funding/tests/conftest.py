"""The funding tests read the services' messages in English (the source language), so they keep
passing when the Norwegian catalogues are filled in."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield
