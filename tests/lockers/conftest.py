import pytest
from django.utils import translation

from .helpers import make_device, make_recipient, make_site


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def recipient(site):
    return make_recipient(site)


@pytest.fixture
def device_and_token(site):
    return make_device(site)


@pytest.fixture
def device(device_and_token):
    return device_and_token[0]


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read messages and pages in English (the msgids, stable while the Korean wording is
    edited); Korean rendering is covered by tests/portal/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
