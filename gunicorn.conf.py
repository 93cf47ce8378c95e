# Read by gunicorn from the working directory (Procfile, Dockerfile, docker-compose.yml).
# An Excel export of 100,000 touchpoints takes about 30 s on a small server: give a request
# up to two minutes before the worker is killed (gunicorn's default is 30 s).
timeout = 120
