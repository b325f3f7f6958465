"""The OpenAPI schema: valid, complete, and the API answers as it says (schemathesis)."""

import openapi_spec_validator
import pytest
from hypothesis import HealthCheck, settings

from dangvu.access.models import Role
from dangvu.access.tokens import token_create
from dangvu.api import api

from .common import routes


@pytest.fixture
def schema(tree, make_user, client_for):
    response = client_for(make_user("xem", tree["bloc"], Role.VIEWER)).get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_schema_is_valid_openapi(schema):
    openapi_spec_validator.validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "dangvu API"


def test_schema_lists_every_route(schema):
    served = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert served == routes()
    assert len(served) == 72
    assert ("POST", "/api/organizations/merge") in served


def test_every_operation_is_described_and_secured(schema):
    schemes = set(schema["components"]["securitySchemes"])
    assert schemes == {"TokenAuth", "SessionAuth"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            assert {name for s in operation["security"] for name in s} <= schemes


def test_every_reference_resolves(schema):
    components = schema["components"]["schemas"]

    def refs(value):
        if isinstance(value, dict):
            if "$ref" in value:
                yield value["$ref"]
            for item in value.values():
                yield from refs(item)
        elif isinstance(value, list):
            for item in value:
                yield from refs(item)

    found = list(refs(schema))
    assert found
    for ref in found:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in components, ref


# schemathesis: generated requests against the app in-process -------------------------------
import schemathesis  # noqa: E402


@pytest.fixture
def app():
    """The WSGI app, kept on the test's connection as Django's test client does (otherwise the
    end of each request closes the connection that holds the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(tree, make_user):
    user = make_user("root", is_superuser=True)
    return token_create(user=user, name="schemathesis")[1]


generated = schemathesis.openapi.from_dict(api.get_openapi_schema())


@generated.include(method="GET").parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_reads_never_fail_and_match_their_schema(case, app, bearer):
    """Any generated read answers without a server error, in its documented shape or in the
    error shape (4xx JSON with a code). Methods a path does not have get 405."""
    response = case.call(app=app, headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code < 500, (case.method, case.formatted_path, case.query)
    if case.method != "GET":  # schemathesis also tries methods the schema does not list
        assert response.status_code == 405
        return
    content_type = response.headers["content-type"][0]
    assert content_type.startswith("application/json"), case.formatted_path
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "details"}
    else:
        checks = [schemathesis.checks.response_schema_conformance]
        case.validate_response(response, checks=checks)
