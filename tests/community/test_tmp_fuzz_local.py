import pytest

from tests.portal.test_api_fuzz import IDENTITIES, MODES, _fuzz, api  # noqa: F401

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("identity", ["anonymous", "resident", "caseworker"])
def test_community_fuzz(api, identity):  # noqa: F811
    credentials = IDENTITIES[identity]()
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()
        if "community" not in operation.path:
            continue
        for mode in MODES:
            try:
                _fuzz(operation, mode, credentials)
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    assert not failures, "\n\n".join(failures)
