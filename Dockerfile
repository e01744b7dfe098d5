# The Hotline server as an image: built in one stage, run in a slim one as an unprivileged user.
#
#   docker build -t hotline .
#   docker run -p 8000:8000 -e HOTLINE_SECRET='at least 24 characters' -v hotline-data:/var/lib/hotline hotline
#
# compose.yaml runs two of these behind haproxy, on PostgreSQL and Redis (docs/deployment.md).
# CI does not build this image: its machines have no Docker daemon. tests/ops/test_container_files.py
# checks what can be checked without one, and hadolint lints this file.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY app ./app
COPY injects ./injects
COPY static ./static
# Installed in place (the server serves static/ and injects/ from beside app/), with the drivers for
# PostgreSQL and Redis, into a virtualenv the runtime stage copies whole.
RUN python -m venv /opt/hotline \
    && /opt/hotline/bin/pip install --editable ".[postgres,redis]" \
    && python -m compileall -q /app/app

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 hotline \
    && useradd --system --uid 10001 --gid hotline --home-dir /var/lib/hotline --create-home --shell /usr/sbin/nologin hotline \
    && chmod 0700 /var/lib/hotline
COPY --from=build /opt/hotline /opt/hotline
COPY --from=build /app /app
ENV PATH=/opt/hotline/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOTLINE_DATA_DIR=/var/lib/hotline \
    HOTLINE_LOG_FORMAT=json
USER 10001:10001
WORKDIR /var/lib/hotline
VOLUME ["/var/lib/hotline"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:8000/api/ready', timeout=4).status != 200)"]
CMD ["hotline", "serve", "--host", "0.0.0.0", "--port", "8000"]
