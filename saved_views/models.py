"""A list's filters kept under a name."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel

# More than a URL of filters ever holds; a tampered one is cut, not stored whole.
QUERY_MAX_LENGTH = 1000


class SavedView(TimeStampedModel):
    class List(models.TextChoices):
        ORGANIZATIONS = "organizations", "Organizations"
        CONTACTS = "contacts", "Contacts"
        TOUCHPOINTS = "touchpoints", "Touchpoints"
        FOLLOWUPS = "followups", "Follow-ups"
        BOARD = "board", "Pipeline"

    name = models.CharField(max_length=80)
    list = models.CharField(max_length=20, choices=List.choices)
    # The list's filters as its address holds them ("kind=health&tag=3"), without a page.
    query = models.CharField(max_length=QUERY_MAX_LENGTH, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    shared = models.BooleanField(
        "share with the team", default=False, help_text="Everyone sees it above the list."
    )
    pinned = models.BooleanField(
        "pin to my dashboard", default=False, help_text="With how many it holds, kept current."
    )
    # Taken off by its owner: kept, shown nowhere.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(
                fields=["list", "owner"], condition=Q(removed_at__isnull=True), name="view_list"
            ),
        ]

    def __str__(self) -> str:
        return self.name
