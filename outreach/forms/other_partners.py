"""The further partners at a meeting or a touchpoint (a coalition meeting, a joint call):
chosen from a search, never from a list of every organization."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.datastructures import MultiValueDict

from core.forms import form_field
from partners.models import Organization

# More than any real joint meeting; bounds the work a tampered form can ask for.
MAX_OTHER_ORGANIZATIONS = 50


def posted_ids(values: list[Any]) -> list[int]:
    """Ids from a form's (possibly tampered) list of values: digits only, a bounded few."""
    ids = []
    for value in values[: MAX_OTHER_ORGANIZATIONS + 1]:
        text = str(getattr(value, "pk", value))
        if text.isdigit() and len(text) < 19:
            ids.append(int(text))
    return ids


class IdsOnly(forms.ModelMultipleChoiceField):
    """Turn away posted values that cannot be ids before they reach a query.

    A tampered value like 99999999999999999999 would otherwise overflow SQLite's integers.
    """

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if not (isinstance(pk, str | int) and str(pk).isdigit() and len(str(pk)) < 19):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class OrganizationsField(IdsOnly, forms.ModelMultipleChoiceField):
    pass


def other_organizations_field(label: str) -> OrganizationsField:
    # Rendered by hand as checkboxes (chosen ones, plus search results): never as a list of
    # every organization, which would be thousands of options.
    return OrganizationsField(
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
        label=label,
        error_messages={"invalid_choice": "That organization can no longer be chosen."},
    )


class OtherPartnersMixin:
    """For a ModelForm with an `other_organizations` field (other_organizations_field) whose
    instance has that many-to-many: which partners are ticked (as posted, as asked for by the
    search, or as saved), and which may be."""

    organization: Organization | None
    other_ids: list[int]
    # "meeting" or "touchpoint", for the message when too many are ticked.
    record_word = "meeting"

    def other_partners_init(self, organization: Organization | None) -> None:
        form: Any = self
        record = form.instance
        linked = list(record.other_organizations.values_list("pk", flat=True)) if record.pk else []
        if form.is_bound:
            key = form.add_prefix("other_organizations")
            if isinstance(form.data, MultiValueDict):  # request.POST
                posted = form.data.getlist(key)
            else:  # a plain dict of values (a test, a service's caller)
                value = form.data.get(key) or []
                posted = list(value) if isinstance(value, list | tuple) else [value]
            self.other_ids = posted_ids(posted)
        elif "other_organizations" in form.initial:
            self.other_ids = posted_ids(list(form.initial["other_organizations"]))
        else:
            self.other_ids = linked
        self.other_ids = [
            pk for pk in self.other_ids if organization is None or pk != organization.pk
        ]
        if record.pk and not form.is_bound:
            # The partners shown ticked, as the record's value (core.conflicts compares it).
            form.initial.setdefault("other_organizations", self.other_ids)
        # Any current partner, and those already named even if archived since.
        form_field(
            form, "other_organizations", OrganizationsField
        ).queryset = Organization.objects.filter(Q(is_archived=False) | Q(pk__in=linked))

    def chosen_other_organizations(self) -> list[Organization]:
        """The further partners to show ticked: as posted, as asked for, or as saved."""
        if not self.other_ids:
            return []
        allowed = form_field(self, "other_organizations", OrganizationsField).queryset  # type: ignore[arg-type]
        assert allowed is not None  # set in other_partners_init
        return list(allowed.filter(pk__in=self.other_ids).order_by("name", "pk"))

    def clean_other_organizations(self) -> list[Organization]:
        form: Any = self
        chosen = [o for o in form.cleaned_data["other_organizations"] if o != self.organization]
        if len(chosen) > MAX_OTHER_ORGANIZATIONS:
            raise ValidationError(
                f"A {self.record_word} can list at most {MAX_OTHER_ORGANIZATIONS} partners."
            )
        return chosen
