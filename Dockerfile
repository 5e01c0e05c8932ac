# syntax=docker/dockerfile:1
# One Dockerfile, four images: the build arg SERVICE picks the service, and the image carries
# that service and the shared platform library (exemplar-shared), nothing else.
#
#   docker build --build-arg SERVICE=review -t exemplar-review .
#
# docker-compose.yml builds all four this way. The container migrates its own database, then
# serves HTTP on port 8000 (see CMD).

ARG PYTHON_IMAGE=python:3.11-slim

# ---- build: resolve from uv.lock, install into /app/.venv --------------------------------------
FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
# The uv the workspace's dev group pins (pyproject.toml), so the image resolves as CI does.
ARG UV_VERSION=0.13.8
RUN case "${SERVICE}" in \
      nomination|review|publication|reporting) ;; \
      *) echo "build arg SERVICE must be nomination, review, publication or reporting," \
              "got '${SERVICE}'" >&2; exit 1 ;; \
    esac
RUN --mount=type=cache,target=/root/.cache/pip \
    PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 pip install "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# Third-party dependencies first (a cached layer while only our code changes). Only the root,
# shared and this service's pyproject.toml are copied: with --frozen uv installs straight from
# uv.lock without looking for the other members.
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY services/${SERVICE}/pyproject.toml services/${SERVICE}/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package "exemplar-${SERVICE}" --no-install-workspace

# Then our code: exemplar-shared and exemplar-${SERVICE}, installed from /app (the runtime stage
# keeps the same paths, so files next to the packages, such as migrations, stay where they were).
COPY shared/ shared/
COPY services/${SERVICE}/ services/${SERVICE}/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package "exemplar-${SERVICE}" \
 && /app/.venv/bin/python -c "import exemplar, ${SERVICE}" \
 && test -x /app/.venv/bin/exemplar \
 && /app/.venv/bin/python -m compileall -q shared services

# ---- runtime: no uv, no compilers, not root ------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="exemplar-${SERVICE}" \
      org.opencontainers.image.description="Exemplar ${SERVICE} service"
# /keys and /var/lib/exemplar belong to the service user: an empty named volume mounted there
# takes this ownership, so the one-shot `keys` service can write the key pair into it.
RUN groupadd --system --gid 10001 exemplar \
 && useradd --system --uid 10001 --gid exemplar --home-dir /var/lib/exemplar --no-create-home \
        --shell /usr/sbin/nologin exemplar \
 && install -d -o exemplar -g exemplar -m 0750 /var/lib/exemplar /keys
COPY --from=build /app /app
ENV SERVICE=${SERVICE} \
    SERVICE_NAME=${SERVICE} \
    VAR_DIR=/var/lib/exemplar \
    PATH=/app/.venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
USER exemplar:exemplar
EXPOSE 8000
# Ready = the database and NATS answer (slim images have no curl; python has urllib).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=3)"]
# Migrate this service's own database, then serve; exec hands signals to the server so that
# `docker stop` shuts it down cleanly. The one-shot `keys` service overrides this command.
CMD ["/bin/sh", "-c", "exemplar migrate \"$SERVICE\" && exec exemplar serve \"$SERVICE\" --host 0.0.0.0 --port 8000"]
