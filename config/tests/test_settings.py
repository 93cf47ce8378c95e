"""Settings come from the environment; these run Django in a fresh process with a chosen one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "email_backend": settings.EMAIL_BACKEND,
    "email_path": str(getattr(settings, "EMAIL_FILE_PATH", "")),
    "email_host": getattr(settings, "EMAIL_HOST", ""),
    "broker": settings.CELERY_BROKER_URL,
    "time_zone": settings.TIME_ZONE,
    "site_url": settings.SITE_URL,
    "secret_is_dev": "insecure" in settings.SECRET_KEY,
}))
"""


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def probe(env: dict[str, str]) -> dict:
    result = run_django(env, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_gives_the_embedded_default():
    settings = probe({})
    assert settings["debug"] is True
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"].endswith("var/liaison.sqlite3")
    assert settings["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert settings["email_path"].endswith("var/mail")
    assert settings["broker"] == "filesystem://"
    assert settings["time_zone"] == "America/New_York"
    assert settings["secret_is_dev"] is True


def test_service_urls_switch_to_the_real_services():
    settings = probe(
        {
            "DATABASE_URL": "postgres://liaison:secret@db.example.org:5432/liaison",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "EMAIL_URL": "smtp://mailer:pw@smtp.example.org:587/?tls=True",
            "TIME_ZONE": "America/Los_Angeles",
            "SITE_URL": "https://liaison.example.org/",
        }
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["name"] == "liaison"
    assert settings["broker"] == "redis://127.0.0.1:6379/0"
    assert settings["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["email_host"] == "smtp.example.org"
    assert settings["time_zone"] == "America/Los_Angeles"
    assert settings["site_url"] == "https://liaison.example.org"


def test_smtp_variables_switch_email_to_smtp():
    settings = probe({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "2525"})
    assert settings["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django({"DEBUG": "0"}, "-c", PROBE)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "liaison.example.org",
}


def test_production_settings_pass_the_deploy_check():
    result = run_django(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_has_no_dev_secret_and_debug_off():
    settings = probe(PRODUCTION)
    assert settings["debug"] is False and settings["secret_is_dev"] is False


@pytest.mark.parametrize("flag", ["DEBUG=1", "LIAISON_DEMO=1"])
def test_documented_variables_are_read(flag):
    name, value = flag.split("=")
    result = run_django(
        {**PRODUCTION, name: value},
        "-c",
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})",
    )
    assert result.stdout.strip() == "True"
