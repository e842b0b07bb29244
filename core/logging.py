"""Structured logs for production (BINPLP_LOG_FORMAT=json): one JSON object per line, standard library only."""

from __future__ import annotations

import datetime
import json
import logging


class JSONFormatter(logging.Formatter):
    """time (UTC, ISO 8601), level, logger, message, request_id when known (a `request_id` given in `extra`, or the
    X-Request-ID header the reverse proxy sets on the request Django attaches to its own records), and the
    traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        request = getattr(record, "request", None)
        if request_id is None and request is not None and hasattr(request, "headers"):
            request_id = request.headers.get("X-Request-ID")
        if request_id:
            entry["request_id"] = str(request_id)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
