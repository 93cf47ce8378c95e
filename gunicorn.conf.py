# Read by gunicorn from the working directory (Procfile, Dockerfile, docker-compose.yml).
# An Excel export of 100,000 touchpoints takes about 30 s on a small server: give a request
# up to two minutes before the worker is killed (gunicorn's default is 30 s).
timeout = 120

# Request size. gunicorn caps the request line and the headers, never the body: the proxy in
# front caps the body (nginx: client_max_body_size 26m; documents take 25 MB,
# LIAISON_MAX_UPLOAD_BYTES) and Liaison stops reading an upload past its limit (core.uploads).
# The longest URL Liaison makes is a survey answer picked for an outcome (12 answers of up to 100
# characters, percent-encoded): 8190 bytes, gunicorn's largest, leaves room for it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
