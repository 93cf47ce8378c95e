from django import forms


class FileEmailForm(forms.Form):
    """Filing an unfiled email: the organization comes from the organization picker."""

    add_sender = forms.BooleanField(
        label="Add the sender as a contact of this organization",
        required=False,
        help_text="Their name and address are taken from the email.",
    )
