"""Shared pieces of the REST API."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError


def service_call(function, **kwargs):
    """Run a service for an API view: its ValidationError becomes a 400 keyed by field, PermissionDenied a 403."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or None) from error


class ErrorSerializer(serializers.Serializer):
    """DRF's body for a refused request: 403, 404, 405, 409, 429."""

    detail = serializers.CharField()


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the refusals every operation can answer with, so that clients (and the fuzz
    test) find each status code the API sends: 400 where there is input, 403 for a refused or failed
    authentication, 404 for an object (addressed or referred to) missing or out of sight, 429 when throttled.
    Codes an operation documents itself, with its own description, are kept."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        locations = {parameter.get("in") for parameter in operation.get("parameters", [])}
        error = {"content": {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}}}
        if operation.get("requestBody") or "query" in locations:
            responses.setdefault("400", {"description": _("Invalid input: the messages, by field.")})
        responses.setdefault("403", {**error, "description": _("Not signed in, or not allowed.")})
        responses.setdefault(
            "404", {**error, "description": _("Not found or out of the caller's sight (also: past the last page).")}
        )
        responses.setdefault("429", {**error, "description": _("Too many requests; try again later.")})
        return operation
