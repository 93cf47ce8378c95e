from typing import Any

from django import forms


class FileEmailForm(forms.Form):
    """Filing an unfiled email: the organization comes from the organization picker."""

    add_people = forms.BooleanField(required=False)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["add_people"]
        names = ", ".join(name or address for name, address in partners[:5])
        field.label = f"Add {names} as {'a contact' if len(partners) == 1 else 'contacts'}"
        field.help_text = "Of the organization above: names and addresses are taken from the email."
        if not partners:
            del self.fields["add_people"]
