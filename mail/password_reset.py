"""Password reset through the outbox, with a request that says nothing about the address.

Django's own reset form looks the address up and sends the email inside the request, so the
request takes longer (and runs more queries) when the address has an account. Here the request
only validates the form and hands the address to a worker (``mail.password_reset_email_queue``)
after commit: the same work whether or not anyone uses that address. The worker looks the
address up and queues one email per account in the outbox, which delivers it with retries like
every other email.

Requests are throttled per email address and per client (``LIAISON_PASSWORD_RESET_PER_*``),
counted whether or not the address has an account.

The email's body holds a link that sets the account's password, so the delivery log never shows
it (``email_detail``), and the sender blanks it once the email is sent (``mail.outbox``).
"""

import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.http import client_ip
from core.profiles import user_time_zone
from core.throttle import throttle_hit
from mail import outbox
from mail.models import OutgoingEmail
from mail.rendering import absolute_url, render_email

logger = logging.getLogger(__name__)

TASK = "mail.password_reset_email_queue"
HOUR = 3600


def password_reset_email_queue(*, email: str, request_key: str) -> int:
    """Queue a reset email to each active account with a usable password at `email`.

    `request_key` names the request: a task delivered twice queues nothing more. Returns how
    many emails were queued.
    """
    queued = 0
    # Django's own rule for who may reset: active, a usable password, the address matched
    # without regard to case.
    for user in PasswordResetForm().get_users(email):
        token = default_token_generator.make_token(user)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = absolute_url("password_reset_confirm", uidb64=uid, token=token)
        rendered = render_email(
            "password-reset", {"user": user, "link": link}, time_zone=user_time_zone(user)
        )
        row = outbox.email_queue(
            outbox.Email(
                kind=OutgoingEmail.Kind.PASSWORD_RESET,
                key=f"password_reset:{user.pk}:{request_key}",
                to_address=getattr(user, user.get_email_field_name()),
                to_name=user.get_full_name(),
                user=user,
                subject=rendered.subject,
                body_text=rendered.body_text,
                body_html=rendered.body_html,
            )
        )
        queued += row is not None
    return queued


def _publish(email: str, request_key: str) -> None:
    # Imported here: mail.tasks imports this module for the task's body.
    from mail.tasks import password_reset_email_queue as task

    try:
        task.apply_async(kwargs={"email": email, "request_key": request_key})
    except Exception:  # noqa: BLE001 — any broker failure; the person can ask again
        logger.warning(
            "Could not reach the Celery broker: a password reset email was not queued.",
            exc_info=True,
        )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose save() hands the address to a worker instead of sending."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        email: str = self.cleaned_data["email"]
        request_key = uuid.uuid4().hex
        transaction.on_commit(lambda: _publish(email, request_key))


def reset_throttled(request: HttpRequest, email: str) -> bool:
    """Count this request for its address and its client; True if either is over its limit."""
    by_client = throttle_hit(
        scope="password_reset_client",
        key=client_ip(request),
        limit=settings.LIAISON_PASSWORD_RESET_PER_CLIENT_HOUR,
        period=HOUR,
    )
    by_email = throttle_hit(
        scope="password_reset_email",
        key=email.strip().lower(),
        limit=settings.LIAISON_PASSWORD_RESET_PER_EMAIL_HOUR,
        period=HOUR,
    )
    return by_client or by_email


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page with the outbox form, throttled per address and per client."""

    form_class = OutboxPasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if reset_throttled(self.request, form.cleaned_data["email"]):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)
