"""Helpers shared by the program tests."""

import datetime as dt

from django.urls import reverse

from programs.models import Program

PROGRAM_LIST = reverse("programs:program_list")
PROGRAM_CREATE = reverse("programs:program_create")

# The grant tests run on Wednesday, November 18, 2026, at 10:00 in New York.
TODAY = dt.date(2026, 11, 18)
TODAY_10AM = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def grant_edit_url(program: Program) -> str:
    return reverse("programs:grant_edit", args=[program.pk])
