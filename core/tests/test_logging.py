"""The JSON log format of production (BINPLP_LOG_FORMAT=json): each record is one line of valid JSON."""

import io
import json
import logging

from django.test import RequestFactory

from core.logging import JSONFormatter


def _emit(**kwargs) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("binplp.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error(*kwargs.pop("args"), **kwargs)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return stream.getvalue()


def test_it_writes_one_json_object_per_line_with_the_request_id():
    request = RequestFactory().get("/networks/", headers={"X-Request-ID": "abc-123"})
    line = _emit(args=('Import of %s rows failed: "quoted"\nnext line', 12), extra={"request": request})
    assert line.endswith("\n") and line.count("\n") == 1
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "binplp.test.json"
    assert entry["message"] == 'Import of 12 rows failed: "quoted"\nnext line'
    assert entry["request_id"] == "abc-123" and entry["time"].endswith("+00:00")


def test_an_exception_travels_inside_the_json():
    try:
        raise ValueError("boom")
    except ValueError:
        line = _emit(args=("failed",), exc_info=True, extra={"request_id": "r-1"})
    entry = json.loads(line)
    assert entry["request_id"] == "r-1" and "ValueError: boom" in entry["exception"]


def test_the_setting_switches_the_console_handler(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("BINPLP_LOG_FORMAT", "json")
    try:
        assert importlib.reload(base).LOGGING["handlers"]["console"]["formatter"] == "json"
    finally:
        monkeypatch.delenv("BINPLP_LOG_FORMAT")
        importlib.reload(base)
