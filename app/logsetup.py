"""Logging for ``hotline serve``: one configuration for uvicorn's loggers and Hotline's own.

``HOTLINE_LOG_FORMAT`` chooses between ``text`` (one readable line per record) and ``json`` (one JSON
object per line, for log shippers). Either way each line carries what it is about, where that applies:
the exercise id, the event seq, the seat and the command id (``app.logcontext``).

No line may carry a credential. Seat tokens travel in join messages and in URL fragments, the
facilitator secret and reviewer keys in headers, so none of them is in a request line; still, a
debug line may quote a websocket frame, a mistyped link may put a token in a query string, and an
exception may quote its input. ``redact`` therefore runs over every line's text: the content of websocket
frames, values of fields and parameters named token, secret, key, password or authorization, bearer
credentials, and the facilitator secret itself (``register_secret``) become ``[redacted]``. Tests run a
server at debug level in both formats and look for every credential they used in every line.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from app import logcontext

LogFormat = Literal["text", "json"]
REDACTED = "[redacted]"
TEXT_FORMAT = "%(levelname)-8s %(asctime)s %(name)s: %(message)s%(context)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

_SENSITIVE_NAME = r"(?:token|secret|key|password|passwd|authorization|api[_-]?key)"
_SENSITIVE_FIELD = re.compile(
    rf"(?i)((?<![A-Za-z0-9])[\"']?[A-Za-z_-]*{_SENSITIVE_NAME}[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,;}}#]+"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_SENSITIVE_PARAMETER = re.compile(rf"(?i){_SENSITIVE_NAME}")
_FRAME = re.compile(r"([<>] (?:TEXT|BINARY|CONT) ).*( \[\d+ bytes?[^\]]*\])")
"""A websocket frame as the websockets library logs it at debug level: its text may hold a join message's
token (cut in the middle, so no field name is left to find), or what a player wrote."""
_known_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Redact this exact value (the facilitator secret) wherever it would appear in a log line."""
    if len(value) >= 8:
        _known_secrets.add(value)


def redact(text: str) -> str:
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _FRAME.sub(lambda match: f"{match.group(1)}{REDACTED}{match.group(2)}", text)
    text = _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)
    return _SENSITIVE_FIELD.sub(lambda match: match.group(1) + REDACTED, text)


def redact_path(path: str) -> str:
    """A request path with the values of credential-like query parameters removed."""
    base, _, query = path.partition("?")
    if not query:
        return base
    pairs = [
        (name, REDACTED if _SENSITIVE_PARAMETER.search(name) else value)
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{base}?{urlencode(pairs, safe='[]/:')}"


class ContextFilter(logging.Filter):
    """Puts the log context on each record, and reads uvicorn's access records into named fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = logcontext.current()
        record.hotline = fields
        record.context = (" [" + " ".join(f"{name}={value}" for name, value in fields.items()) + "]") if fields else ""
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = (str(arg) for arg in record.args)
            safe_path = redact_path(path)
            record.access = {
                "client": client,
                "method": method,
                "path": safe_path,
                "http_version": version,
                "status": int(status) if status.isdigit() else status,
            }
            record.msg = '%s "%s %s HTTP/%s" %s'
            record.args = (client, method, safe_path, version, status)
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT, DATE_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "context"):
            record.context = ""
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, pid, message, the context fields, access fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # several server processes may write to one stream (--workers)
            "message": redact(record.getMessage()),
        }
        line.update(getattr(record, "hotline", {}))
        line.update(getattr(record, "access", {}))
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = redact(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(level: str, log_format: LogFormat = "text") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dictionary: everything to standard error at ``level``."""
    level = level.upper()
    formatter = {"()": JsonFormatter} if log_format == "json" else {"()": TextFormatter}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "lines",
        "filters": ["context"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {"lines": formatter},
        "handlers": {"stderr": handler},
        "loggers": {
            "app": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }
