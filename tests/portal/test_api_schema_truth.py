"""What the OpenAPI schema says of the answers every view shares (portal.api.schema), and of the fields
an earlier fuzz found declared wrongly. The fuzz itself: tests/portal/test_api_fuzz.py."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ApiError"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _component(schema, name):
    return schema["components"]["schemas"][name]


# Export jobs are named by a UUID (their download address must not be guessable); every other id is
# a whole number, as the routes match it.
UUID_ROUTES = ("/api/v1/staff/exports/{id}/",)


def test_every_id_in_a_path_is_an_integer(schema):
    for method, path, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "path":
                continue
            if path.startswith(UUID_ROUTES):
                assert parameter["schema"] == {"type": "string", "format": "uuid"}, (method, path)
            else:
                assert parameter["schema"]["type"] == "integer", (method, path, parameter)


def test_a_non_digit_id_is_the_json_404(client):
    response = client.get("/api/v1/bookings/abc/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def _documented(operation, status):
    response = operation["responses"].get(str(status))
    return response and response["content"]["application/json"]["schema"]["$ref"] == ERROR_REF


def test_every_operation_documents_429_and_406_in_the_error_shape(schema):
    for method, path, operation in _operations(schema):
        assert _documented(operation, 429), (method, path)
        assert _documented(operation, 406), (method, path)


def test_writes_document_400_403_413_415(schema):
    for method, path, operation in _operations(schema):
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            for status in (400, 413, 415):
                assert _documented(operation, status), (method, path, status)
            if "kiosk" not in path:
                assert _documented(operation, 403), (method, path)  # the session's CSRF check


def test_state_moves_on_one_record_document_409_and_ids_404(schema):
    for method, path, operation in _operations(schema):
        if "{id}" in path:
            assert _documented(operation, 404), (method, path)
            if method == "POST":
                assert _documented(operation, 409), (method, path)


def test_the_kiosk_documents_401_and_not_403(schema):
    operation = schema["paths"]["/api/v1/kiosk/pickup/"]["post"]
    assert _documented(operation, 401)
    assert "403" not in operation["responses"]


def test_resident_reads_document_403(schema):
    assert _documented(schema["paths"]["/api/v1/me/household/"]["get"], 403)
    assert "403" not in schema["paths"]["/api/v1/programs/"]["get"]["responses"]  # public


def test_a_view_s_own_error_description_is_kept(schema):
    response = schema["paths"]["/api/v1/applications/{id}/submit/"]["post"]["responses"]["409"]
    assert response["description"] == "invalid_transition: not a draft."


def test_lists_document_400_for_filters_and_404_for_pages(schema):
    operation = schema["paths"]["/api/v1/programs/"]["get"]
    assert _documented(operation, 400)
    assert _documented(operation, 404)


def test_the_programs_api_documents_its_304(schema):
    for path in ("/api/v1/programs/", "/api/v1/programs/{id}/"):
        assert "304" in schema["paths"][path]["get"]["responses"]
    assert "304" not in schema["paths"]["/api/v1/programs/{id}/eligibility/"]["get"]["responses"]


def test_program_url_is_a_plain_string_and_district_nullable(schema):
    for name in ("ProgramList", "ProgramDetail"):
        properties = _component(schema, name)["properties"]
        assert "format" not in properties["url"]
        assert properties["district"]["nullable"] is True


def test_city_wide_program_has_null_district_and_relative_url(client):
    from tests.factories import ProgramFactory

    program = ProgramFactory(district=None)
    row = next(row for row in client.get("/api/v1/programs/").json()["results"] if row["id"] == program.pk)
    assert row["district"] is None
    assert row["url"].startswith("/")


def test_times_are_declared_as_written(schema):
    hours_minutes = _component(schema, "OpeningHours")["properties"]["opens"]
    assert "format" not in hours_minutes
    assert re.fullmatch(hours_minutes["pattern"], "10:00")
    assert not re.fullmatch(hours_minutes["pattern"], "10:00:00")
    with_seconds = _component(schema, "KitVisit")["properties"]["window_start"]
    assert "format" not in with_seconds
    assert re.fullmatch(with_seconds["pattern"], "14:00:00")
    read = _component(schema, "SeriesCreateRequest")["properties"]["start_time"]
    assert re.fullmatch(read["pattern"], "10:00") and re.fullmatch(read["pattern"], "10:00:00")


def test_the_document_upload_is_a_binary_file(schema):
    operation = schema["paths"]["/api/v1/applications/{id}/documents/"]["post"]
    ref = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    file = _component(schema, ref.rsplit("/", 1)[1])["properties"]["file"]
    assert file == {**file, "type": "string", "format": "binary"}


def test_read_only_fields_are_not_required_in_requests(schema):
    components = schema["components"]["schemas"]
    for name, component in components.items():
        if name.endswith("Request") and name.removesuffix("Request") in components:  # not KitRequest
            for field, spec in component.get("properties", {}).items():
                assert not spec.get("readOnly"), (name, field)
    assert "id" not in _component(schema, "PatchedHouseholdRequest").get("required", [])
