import pytest

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
