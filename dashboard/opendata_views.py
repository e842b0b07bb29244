"""Public pages of the open data: the statistics page, the open-data page (downloads and data dictionary) and the
downloads themselves. No sign-in: everything here is aggregate counts with small member counts suppressed. Thin: each
parses the level and year, calls the selectors (opendata_selectors) or the files (opendata_export) and renders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import opendata_export as export
from . import opendata_selectors as opendata


def _year(request, years: list[int]) -> tuple[int | None, str]:
    """(the year asked for or None, an error message or "")."""
    try:
        return opendata.parse_year(request.GET.get("year"), years), ""
    except ValidationError as error:
        return None, " ".join(error.messages)


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def statistics_page(request):
    data = opendata.open_data()
    year = data.years[-1] if data.years else None
    country = (data.rows["country"].get(year) or [None])[0] if year else None
    provinces = data.rows["province"].get(year, []) if year else []
    return render(
        request,
        "dashboard/opendata/statistics.html",
        {
            "year": year,
            "country": country,
            "provinces": provinces,
            "levels": [(level, export.level_title(level)) for level in opendata.LEVELS],
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "attribution": opendata.attribution(),
            "min_count": opendata.min_count(),
        },
    )


@require_GET
def open_data_page(request):
    years = opendata.available_years()
    year, error = _year(request, years)
    query = f"?year={year}" if year else ""
    downloads = [
        {
            "level": level,
            "title": export.level_title(level),
            "csv": reverse("dashboard:open_data_csv", args=[level]) + query,
            "json": reverse("dashboard:open_data_json", args=[level]) + query,
            "api": reverse("open_data_level", args=[level]) + query,
        }
        for level in opendata.LEVELS
    ]
    return render(
        request,
        "dashboard/opendata/open_data.html",
        {
            "years": years,
            "year": year,
            "error": error,
            "downloads": downloads,
            "dictionary": opendata.data_dictionary(),
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "attribution": opendata.attribution(),
            "min_count": opendata.min_count(),
        },
        status=400 if error else 200,
    )


def _download(request, level: str, extension: str):
    try:
        opendata.check_level(level)
    except LookupError as error:
        return _text(str(error), 404)
    data = opendata.open_data()
    year, error = _year(request, data.years)
    if error:
        return _text(error, 400)
    if extension == "csv":
        response = HttpResponse(export.csv_text(level, year, data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(export.json_bytes(level, year, data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(level, year, extension)}"'
    return response


@require_GET
def open_data_csv(request, level: str):
    return _download(request, level, "csv")


@require_GET
def open_data_json(request, level: str):
    return _download(request, level, "json")
