# Liaison's one image: gunicorn by default; docker-compose.yml runs the Celery worker and beat
# from it with other commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Gunicorn takes its worker count from WEB_CONCURRENCY; override it at run time to fit the host.
ENV WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them (psycopg2-binary needs no
# compiler).
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 --user-group liaison

COPY . .

# With DEBUG off, settings refuse to load without a SECRET_KEY. This throwaway one exists only
# for this step; it is not part of the image's environment. Static files land in var/staticfiles,
# served by WhiteNoise and read-only to the app user; the rest of var/ (media, and the filesystem
# broker settings create when REDIS_URL is unset) is the app user's to write.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p var/media \
    && chown -R liaison:liaison var \
    && chown -R root:root var/staticfiles

USER liaison

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
