from django import forms

from saved_views.models import SavedView


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ["name", "shared", "pinned"]
        labels = {"name": "Name", "shared": "Share with the team", "pinned": "Pin to my dashboard"}
        help_texts = {"name": "For example “Spanish-speaking partners” or “Quiet county agencies”."}
