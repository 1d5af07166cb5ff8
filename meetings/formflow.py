"""One shape for the POST of a form page: validate the bound form, call the service, put a refusal onto the form.

Views get the object through their access helper first (outsider 404, read-only 403), then:

    done, meeting = submit(form, lambda data: services.meeting_plan(organization=org, user=user, **data))
    if done:
        return redirect(...)

`call` receives the form's service fields (`form.service_fields()` when the form has it, else `cleaned_data`)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from branches.forms import add_service_errors


def add_errors_on_top(form: forms.Form, error: ValidationError) -> None:
    """Every message of the refusal above the form (the pages whose fields do not match the service's arguments)."""
    for message in error.messages:
        form.add_error(None, message)


def submit(
    form: forms.Form,
    call: Callable[[dict], Any],
    *,
    add_errors: Callable[[forms.Form, ValidationError], None] = add_service_errors,
) -> tuple[bool, Any]:
    """(True, the service's result) when the form was valid and the service accepted it; else (False, None), with
    the service's ValidationError on the form (on the field it names when the form has that field)."""
    if not form.is_bound or not form.is_valid():
        return False, None
    data = form.service_fields() if hasattr(form, "service_fields") else form.cleaned_data
    try:
        return True, call(data)
    except ValidationError as error:
        add_errors(form, error)
        return False, None
