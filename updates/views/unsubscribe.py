"""The unsubscribe link of partner emails: no login, the signed token is the credential.

GET only shows a page with one button, because mail scanners and link previews open every link
in an email: a GET that unsubscribed would unsubscribe people who never clicked. The button, and
the RFC 8058 one-click POST that mail providers send (body ``List-Unsubscribe=One-Click``, no
cookies, no CSRF token), both POST to the same URL, which records the opt-out.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from partners.services import contact_unsubscribe
from updates.emails import library_name
from updates.unsubscribe import contact_for_unsubscribe_token, masked_email


def _private(response: HttpResponse) -> HttpResponse:
    # The token in the URL must not leak to other sites, nor the page into a search index.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@csrf_exempt  # RFC 8058: the one-click POST comes from the mail provider, without a CSRF token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_unsubscribe_token(token)
    context: dict[str, object] = {"library_name": library_name()}
    if contact is None:
        return _private(render(request, "updates/unsubscribe_invalid.html", context, status=400))
    context["masked_email"] = masked_email(contact.email)
    if request.method == "POST":
        contact_unsubscribe(contact=contact)
        return _private(render(request, "updates/unsubscribe_done.html", context))
    context["already"] = contact.opted_out_of_updates
    return _private(render(request, "updates/unsubscribe.html", context))
