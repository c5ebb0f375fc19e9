FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
    && DEBUG=false SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdef ALLOWED_HOSTS=* \
       python manage.py collectstatic --noinput \
    && useradd --create-home commongood && mkdir -p /app/var/beat && chown -R commongood /app/var
USER commongood
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "sync"]
