"""Shared pieces of the REST API (/api/v1/) that know no app: the error shape, bounded filters, schema helpers.
The access-aware pieces (viewset mixin, write permission, fields that resolve an organization or a member through
branches/access.py) live in branches/api_common.py.

The API follows the same access rules as the web pages, through branches/access.py:
- anonymous: 403 (DRF's answer when session authentication comes first);
- an organization or record the user may not see: 404, wherever it is named (URL or request body), so that its
  existence is not revealed; a code that does not exist gives the same 404;
- a user whose roles are all read-only (the SASAC reviewer), or who only reads the object: 403 on any write;
- a rule broken (services raise Django's ValidationError) or a bad payload: 400 with
  `{"detail": "<第一条错误>", "errors": {"<字段>": ["<错误>", ...]}}` (a nested field as a dotted key, e.g.
  `positions.0.member`); a body that cannot be parsed answers the same shape.
"""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY
MAX_ID = 2**63 - 1  # settings.DEFAULT_AUTO_FIELD is BigAutoField
FIRST_YEAR, LAST_YEAR = 1921, 2100  # the years a record can belong to (the party was founded in 1921)
INVALID_DATA_MESSAGE = "提交的数据有误,请检查。"
PARSE_ERROR_MESSAGE = "请求内容无法解析,请检查格式(如 JSON)。"


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)] if detail not in (None, "") else []


def _errors_from_django(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD_ERRORS if field == "__all__" else field): list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {NON_FIELD_ERRORS: list(exc.messages)}


def _errors_from_drf(detail) -> dict:
    if isinstance(detail, dict):
        return _flat_errors(detail)
    return _flat_errors({NON_FIELD_ERRORS: detail if isinstance(detail, list) else [detail]})


def _flat_errors(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """Nested errors (a list item, a nested serializer: {"positions": [{}, {"member": [...]}]}) as dotted keys
    ({"positions.1.member": [...]}), so that `errors` always has the documented shape {字段: [错误, ...]}
    (found by the API fuzz test: a nested error broke the schema of every 400)."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat_errors(value, f"{name}."))
        elif isinstance(value, list | tuple) and any(isinstance(item, dict | list | tuple) for item in value):
            nested = {str(index): item for index, item in enumerate(value) if item}
            messages = [str(item) for item in nested.values() if not isinstance(item, dict | list | tuple)]
            if messages:
                flat[name] = messages
            flat.update(
                _flat_errors({k: v for k, v in nested.items() if isinstance(v, dict | list | tuple)}, f"{name}.")
            )
        else:
            flat[name] = [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]
    return flat


def exception_handler(exc, context):
    """DRF's handler, plus: a service's Django ValidationError and a serializer's ValidationError both answer
    400 in one shape. Usable as REST_FRAMEWORK["EXCEPTION_HANDLER"]; ApiErrorsMixin applies it per view."""
    if isinstance(exc, DjangoValidationError):
        errors = _errors_from_django(exc)
        exc = exceptions.ValidationError(errors)
    if isinstance(exc, exceptions.ParseError):
        # A body that is not valid JSON (or form data): the same 400 shape as any other bad payload, in Chinese.
        exc = exceptions.ValidationError({NON_FIELD_ERRORS: [PARSE_ERROR_MESSAGE]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = _errors_from_drf(exc.detail)
        messages = _flatten(errors)
        response.data = {"detail": messages[0] if messages else INVALID_DATA_MESSAGE, "errors": errors}
    return response


class ApiErrorsMixin:
    """Use the exception handler above without touching settings (mix into every API view)."""

    def get_exception_handler(self):
        return exception_handler


def is_write_request(request) -> bool:
    return request.method not in SAFE_METHODS


class PartialUpdateMixin:
    """PUT and PATCH go through one `update(request, *args, partial=...)`, which each viewset writes with its own
    serializer and service; PATCH is that update with partial=True (what DRF's UpdateModelMixin does, without its
    perform_update/serializer.save(), since our writes go through services). Mixed in only by viewsets that
    define update(): the router routes PATCH wherever partial_update exists. A viewset whose records take only
    partial changes answers PUT with `return self.http_method_not_allowed(request)` when partial is False."""

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """An integer query parameter, bounded where it is declared. django-filter's NumberFilter takes any decimal, so a
    year of -6e16 or an id past bigint reached date() or the database and answered 500 (found by the API fuzz
    test); out of range is now a 400 like any other bad parameter."""

    field_class = forms.IntegerField


def year_filter(**kwargs) -> IntegerFilter:
    return IntegerFilter(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


def id_filter(**kwargs) -> IntegerFilter:
    return IntegerFilter(min_value=1, max_value=MAX_ID, **kwargs)


class NamedChoiceField(serializers.ChoiceField):
    """A ChoiceField documented as its own named enum component (e.g. OrganizationStatusEnum), so that two
    models' `status` choice sets do not collide in the schema (drf-spectacular warns on such collisions)."""

    def __init__(self, choices_class, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices_class.choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name=self.target.enum_name, type=ResolvedComponent.SCHEMA, object=self.target.enum_name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class WallClockTimeFieldExtension(OpenApiSerializerFieldExtension):
    """A time of day (a meeting's start and end) is Beijing wall-clock time: DRF writes it as `HH:MM[:SS[.ffffff]]`
    without an offset, while drf-spectacular's default `format: time` means RFC 3339 `full-time`, which requires
    one; every meeting with a start time broke its own schema (found by the API fuzz test)."""

    target_class = serializers.TimeField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
            "example": "14:30:00",
            "description": "北京时间,HH:MM 或 HH:MM:SS,不带时区",
        }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="错误说明(中文)。")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="按字段列出的错误;与具体字段无关的错误在 non_field_errors 下。",
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="说明(中文)。")


_ERROR_DESCRIPTIONS = {
    400: "数据有误或违反业务规则:detail 为第一条错误说明,errors 按字段列出全部错误。",
    403: "未登录,或角色只读(如国资委审阅)时进行写操作。",
    404: "对象不存在或无权查看(请求体中引用的组织、党员同样适用)。",
}


def error_responses(*codes: int) -> dict:
    """OpenAPI responses for the error codes an endpoint can answer, for `extend_schema(responses=...)`."""
    return {
        code: OpenApiResponse(
            ErrorSerializer if code == 400 else DetailSerializer, description=_ERROR_DESCRIPTIONS[code]
        )
        for code in codes
    }
