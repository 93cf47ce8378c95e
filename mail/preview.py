"""An email's HTML shown on a page: in a sandboxed frame that loads it from its own address.

The site's Content-Security-Policy allows no inline style, and a frame filled through `srcdoc`
inherits the policy of the page around it, so an email's inline styles (which mail clients need,
and which are most of its looks) would be dropped. Served from its own URL, the body gets its own
policy instead: inline styles and data: images only, nothing fetched, nothing run (`sandbox`, as
the frame's own attribute says too), and only Liaison's own pages may frame it.
"""

from typing import Any

from csp.constants import HEADER, NONE, SELF, UNSAFE_INLINE
from csp.utils import build_policy
from django.http import HttpResponse

EMAIL_HTML_POLICY: dict[str, Any] = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [SELF],
    "sandbox": True,
}


def email_html_response(body_html: str) -> HttpResponse:
    """The HTML body as a document of its own, with the policy above instead of the site's."""
    response = HttpResponse(body_html, content_type="text/html; charset=utf-8")
    # django-csp's middleware and Django's clickjacking middleware leave headers already set.
    response[HEADER] = build_policy(config=EMAIL_HTML_POLICY)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
