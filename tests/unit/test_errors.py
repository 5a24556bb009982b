"""Every error body shape the API answers with (docs/emulator.md) maps to one exception type, with message and field."""

import pytest

from pulumi_chartmogul.api.errors import (
    AlreadyExistsError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    error_from_response,
)


@pytest.mark.parametrize(
    ("status", "body", "cls", "message", "param"),
    [
        (401, b'{"code":401,"message":"No valid API key provided","param":null}', AuthenticationError,
         "No valid API key provided", None),
        (400, b'{"code":400,"message":"Parameter \\"name\\" is missing","param":"name"}', BadRequestError,
         'Parameter "name" is missing', "name"),
        (422, b'{"errors":{"name":"A name is required for each data source."}}', UnprocessableEntityError,
         "name: A name is required for each data source.", "name"),
        (422, b'{"errors":{"name":"Has already been taken."}}', AlreadyExistsError,
         "name: Has already been taken.", "name"),
        (422, b'{"errors":{"external_id":"A plan with this identifier already exists in our system."}}',
         AlreadyExistsError, "external_id: A plan with this identifier already exists in our system.", "external_id"),
        (404, b'{"error":"Data source not found"}', NotFoundError, "Data source not found", None),
        (404, b'{"error": "Plan not found"}', NotFoundError, "Plan not found", None),
        (404, b"404 Not Found", NotFoundError, "404 Not Found", None),
        (500, b"500 Internal Server Error", ServerError, "500 Internal Server Error", None),
        (503, b"", ServerError, "(empty response body)", None),
        (429, b'{"code":429,"message":"Your request rate has exceeded our rate limit.","param":null}',
         RateLimitError, "Your request rate has exceeded our rate limit.", None),
        (403, b"Forbidden", PermissionDeniedError, "Forbidden", None),
        (402, b'{"code":402,"message":"Request failed","param":null}', BadRequestError, "Request failed", None),
        (418, b"teapot", APIStatusError, "teapot", None),
    ],
)
def test_each_body_shape(status, body, cls, message, param) -> None:
    error = error_from_response(status, body)
    assert type(error) is cls
    assert (error.status, error.message, error.param) == (status, message, param)
    assert str(error).startswith(f"ChartMogul API error {status}: {message}")


def test_every_failing_field_is_kept() -> None:
    body = (b'{"errors":{"name":"A unique name is required for each plan.","interval_count":"is not a number",'
            b'"interval_unit":"Only \'day\', \'month\' or \'year\' are valid values for interval_unit."}}')
    error = error_from_response(422, body)
    assert set(error.errors) == {"name", "interval_count", "interval_unit"}
    assert error.param is None  # several fields: no single one to blame
    assert "interval_count: is not a number" in error.message


def test_newer_rails_shape_with_error_details() -> None:
    body = (b'{"name":["Name can\'t be blank"],"plan_ids":["must exist"],'
            b'"error_details":[{"param":"name","code":"blank","message":"Name can\'t be blank"}]}')
    error = error_from_response(422, body)
    assert error.errors == {"name": "Name can't be blank"}
    assert error.param == "name"


def test_list_valued_errors_are_joined() -> None:
    error = error_from_response(422, b'{"errors":{"name":["is too short","is invalid"]}}')
    assert error.errors == {"name": "is too short; is invalid"}


def test_long_text_bodies_are_truncated() -> None:
    error = error_from_response(502, b"<html>" + b"x" * 5000)
    assert isinstance(error, ServerError)
    assert len(error.message) == 500
