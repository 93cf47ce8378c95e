"""Template tags for email templates: absolute links built from SITE_URL."""

from django import template

from mail.rendering import absolute_url

register = template.Library()


@register.simple_tag
def absurl(name_or_path: str, *args) -> str:
    """{% absurl 'partners:organization_detail' org.pk %} → https://liaison.example.org/…"""
    return absolute_url(name_or_path, *args)
