# The one image behind web (gunicorn), worker and beat (Celery) and the
# one-shot migrate service of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    JWP_VAR_DIR=/var/lib/jwp \
    STATIC_ROOT=/var/lib/jwp/static \
    MEDIA_ROOT=/var/lib/jwp/media

# WeasyPrint renders PDFs with the system's Pango and HarfBuzz; DejaVu is the
# only font the PDF templates rely on.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 jwp \
    && useradd --system --uid 10001 --gid jwp --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin jwp

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

# The code stays owned by root (read-only to the app); only var/ is writable.
COPY . .
RUN mkdir -p "$STATIC_ROOT" "$MEDIA_ROOT" \
    && SECRET_KEY=build-time-only-collectstatic-key-not-used-at-runtime-0123456789 DEBUG=false \
        python manage.py collectstatic --noinput -v0 \
    && chown -R jwp:jwp "$JWP_VAR_DIR"

USER jwp
EXPOSE 8000
CMD ["gunicorn", "jwp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
