"""Logging for ``hotline serve``: one configuration for uvicorn's loggers and Hotline's own.

Without it Hotline's loggers (``app.*``) have no handler, and lines such as "recovered 2
exercise(s)" or "refusing sign-ins from …" are lost. The configuration is a ``logging.config``
dictionary, handed to uvicorn, so another format (JSON lines, say) is a change to this module alone.
"""

from __future__ import annotations

from typing import Any

FORMAT = "%(levelname)-8s %(asctime)s %(name)s: %(message)s"


def logging_config(level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dictionary: everything to standard error at ``level``."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": FORMAT, "datefmt": "%Y-%m-%dT%H:%M:%S%z"},
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelname)-8s %(asctime)s access: %(client_addr)s "%(request_line)s" %(status_code)s',
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
                "use_colors": False,
            },
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "app": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
        },
    }
