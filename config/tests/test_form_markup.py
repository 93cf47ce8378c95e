"""Every form and form field is drawn as crispy-bootstrap5 draws it.

core.bootstrap_fields draws crispy-bootstrap5's `bootstrap5/field.html` and `uni_form.html` in
Python (the pack's field template took a millisecond a field). These tests draw the real pages,
every page with a form (blank, and sent back with its errors), once through the pack's own
templates and once through Liaison's, and compare them; and a form with one field of every kind
the pack knows.
"""

import copy
import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

import crispy_bootstrap5
import pytest
import time_machine
from crispy_forms.templatetags.crispy_forms_filters import uni_form_template
from django import forms
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import get_template
from django.urls import reverse

from core.bootstrap_fields import WidgetRenderer, field_html
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization
from programs.models import Program, ProgramSession
from updates.models import ProgressUpdate

PACK = Path(crispy_bootstrap5.__file__).parent / "templates"
NOW = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)
TOKEN = re.compile(r"[A-Za-z0-9]{64}")


def _plain(html: str) -> str:
    """The markup without what differs between two drawings: whitespace between and beside
    tags, and the CSRF token (masked afresh on each page)."""
    html = TOKEN.sub("TOKEN", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html)


@pytest.fixture
def pack_template(settings):
    """Switches the field template between the pack's own and Liaison's."""
    ours: list[dict[str, Any]] = copy.deepcopy(django_settings.TEMPLATES)

    def use(pack: bool) -> None:
        templates = copy.deepcopy(ours)
        if pack:
            templates[0]["DIRS"] = [PACK, *templates[0]["DIRS"]]
        settings.TEMPLATES = templates
        # crispy keeps the form template it loaded first (`|crispy`).
        uni_form_template.cache_clear()

    return use


def _both(client, pack_template, method: str, url: str, data: dict | None = None):
    drawn = []
    for pack in (True, False):
        pack_template(pack)
        # The same moment for both: an edit form carries when it was opened.
        with time_machine.travel(NOW, tick=False):
            response = getattr(client, method)(url, data or {})
        assert response.status_code == 200, (url, response.status_code)
        drawn.append(_plain(response.content.decode()))
    return drawn


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def _pages() -> list[tuple[str, str, dict]]:
    organization = Organization.objects.filter(affiliations__isnull=False).first()
    program = Program.objects.filter(sessions__isnull=False).first()
    session = ProgramSession.objects.filter(program=program).first()
    grant_program = Program.objects.filter(kind=Program.Kind.GRANT).first()
    assert organization and program and session and grant_program
    contact = Contact.objects.first()
    affiliation = Affiliation.objects.first()
    touchpoint = Touchpoint.objects.first()
    meeting = Meeting.objects.filter(status=Meeting.Status.SCHEDULED).first()
    followup = FollowUp.objects.filter(status=FollowUp.Status.OPEN).first()
    update = ProgressUpdate.objects.first()
    assert contact and affiliation and touchpoint and meeting and followup and update
    org, pk = organization.pk, {"pk": organization.pk}
    gets = [
        reverse("partners:organization_list"),
        reverse("partners:organization_create"),
        reverse("partners:organization_detail", kwargs=pk),
        reverse("partners:organization_edit", kwargs=pk),
        reverse("partners:organization_merge", kwargs=pk),
        reverse("partners:contact_create", kwargs={"org_pk": org}),
        reverse("partners:affiliation_add_existing", kwargs={"org_pk": org}),
        reverse("partners:affiliation_edit", kwargs={"pk": affiliation.pk}),
        reverse("partners:affiliation_end", kwargs={"pk": affiliation.pk}),
        reverse("partners:contact_list"),
        reverse("partners:contact_new"),
        reverse("partners:contact_edit", kwargs={"pk": contact.pk}),
        reverse("partners:contact_organization_add", kwargs={"pk": contact.pk}),
        reverse("partners:board"),
        reverse("outreach:touchpoint_list"),
        reverse("outreach:touchpoint_new"),
        reverse("outreach:touchpoint_edit", kwargs={"pk": touchpoint.pk}),
        reverse("outreach:meeting_new"),
        reverse("outreach:meeting_edit", kwargs={"pk": meeting.pk}),
        reverse("outreach:meeting_held", kwargs={"pk": meeting.pk}),
        reverse("outreach:followup_list"),
        reverse("outreach:followup_new"),
        reverse("outreach:followup_edit", kwargs={"pk": followup.pk}),
        reverse("programs:program_list"),
        reverse("programs:program_create"),
        reverse("programs:program_detail", kwargs={"pk": program.pk}),
        reverse("programs:program_edit", kwargs={"pk": program.pk}),
        reverse("programs:outcome_create", kwargs={"pk": program.pk}),
        reverse("programs:story_create", kwargs={"pk": program.pk}),
        reverse("programs:session_attendance", kwargs={"pk": session.pk}),
        reverse("programs:grant_list"),
        reverse("programs:grant_edit", kwargs={"pk": grant_program.pk}),
        reverse("programs:survey_upload", kwargs={"pk": program.pk}),
        reverse("updates:progress_update_review", kwargs={"pk": update.pk}),
        reverse("updates:progress_subscription_create_for_organization", kwargs={"org_pk": org}),
        reverse("reports:activity"),
        reverse("transfer:import_upload"),
        reverse("mail:delivery_log"),
        reverse("profile"),
    ]
    pages: list[tuple[str, str, dict]] = [("get", url, {}) for url in gets]
    # Sent back with every field's error.
    for name, kwargs in (
        ("partners:organization_create", {}),
        ("partners:contact_new", {}),
        ("outreach:touchpoint_new", {}),
        ("outreach:meeting_new", {}),
        ("outreach:followup_new", {}),
        ("programs:program_create", {}),
        ("programs:outcome_create", {"pk": program.pk}),
        ("programs:story_create", {"pk": program.pk}),
        ("outreach:touchpoint_create", {"org_pk": org}),
    ):
        pages.append(("post", reverse(name, kwargs=kwargs), {"title": "x" * 300}))
    pages.append(
        (
            "post",
            reverse("transfer:import_upload"),
            {"file": SimpleUploadedFile("people.txt", b"\x00\x01")},
        )
    )
    return pages


def test_every_page_with_a_form_draws_its_fields_as_the_pack_does(
    demo, manager_client, pack_template
):
    pages = _pages()
    for method, url, data in pages:
        if "file" in data:
            data = {"file": SimpleUploadedFile("people.txt", b"\x00\x01")}
        pack, ours = _both(manager_client, pack_template, method, url, data)
        assert ours == pack, url
    assert len(pages) > 40


class EveryKind(forms.Form):
    name = forms.CharField(help_text="As it is <em>written</em>.")
    note = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "B")])
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, help_text="Any."
    )
    grouped = forms.ChoiceField(
        choices=[("Group one", [("1", "One")]), ("Group two", [("2", "Two"), ("3", "Three")])],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(help_text="Tick it.")
    optional_box = forms.BooleanField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "class": "narrow"}))
    file = forms.FileField(widget=forms.FileInput(attrs={"accept": ".csv"}))
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def _pack_field(form: forms.Form, name: str, **context) -> str:
    template = get_template("bootstrap5/field.html")
    return template.render(
        {"field": form[name], "form_show_errors": True, "form_show_labels": True, **context}
    )


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("name", list(EveryKind.base_fields))
def test_every_kind_of_field_is_drawn_as_the_pack_draws_it(settings, pack_template, bound, name):
    data = {"name": "<b>", "kind": "zzz", "tags": ["q"], "grouped": "9"} if bound else None
    pack_template(True)
    pack = _pack_field(EveryKind(data), name)
    pack_template(False)
    ours = field_html(EveryKind(data)[name], {"form_show_errors": True, "form_show_labels": True})
    assert _plain(str(ours)) == _plain(pack)
    if bound and name in {"kind", "tags", "grouped", "agree", "day", "file"}:
        assert "invalid-feedback" in ours
    if bound and name == "name":
        assert 'value="&lt;b&gt;"' in ours


def test_a_field_class_and_a_wrapper_class_are_kept(pack_template):
    context = {"field_class": "col-9", "wrapper_class": "extra", "form_show_labels": True}
    pack_template(True)
    pack = _pack_field(EveryKind(), "name", **context)
    ours = field_html(EveryKind()["name"], context)
    assert _plain(str(ours)) == _plain(pack)
    assert 'class="col-9"' in ours


def test_an_option_it_does_not_draw_is_refused_not_drawn_otherwise():
    with pytest.raises(NotImplementedError):
        field_html(EveryKind()["name"], {"form_class": "form-horizontal"})
    with pytest.raises(NotImplementedError):
        field_html(EveryKind()["name"], {"label_class": "col-3"})


def _both_renderers(client, monkeypatch, method: str, url: str, data: dict | None = None):
    drawn = []
    for in_python in (False, True):
        monkeypatch.setattr(WidgetRenderer, "draw_in_python", in_python)
        with time_machine.travel(NOW, tick=False):
            response = getattr(client, method)(url, data or {})
        assert response.status_code == 200, (url, response.status_code)
        drawn.append(TOKEN.sub("TOKEN", response.content.decode()))
    return drawn


def test_every_page_with_a_form_draws_its_widgets_as_djangos_templates_do(
    demo, manager_client, monkeypatch
):
    """Character for character: the widgets core.bootstrap_fields writes in Python."""
    widgets = 0
    for method, url, data in _pages():
        if "file" in data:
            data = {"file": SimpleUploadedFile("people.txt", b"\x00\x01")}
        templates, python = _both_renderers(manager_client, monkeypatch, method, url, data)
        assert python == templates, url
        widgets += python.count("<input") + python.count("<select") + python.count("<textarea")
    assert widgets > 300


class EveryWidget(forms.Form):
    text = forms.CharField(initial='"Quoted" & <tagged>', widget=forms.TextInput(attrs={"x": 1}))
    blank = forms.CharField(required=False)
    number = forms.IntegerField(initial=0)
    email = forms.EmailField(initial="a'b@example.org")
    note = forms.CharField(widget=forms.Textarea, initial="Line one\nLine <two>")
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("b", "B")], initial="a")
    grouped = forms.ChoiceField(
        choices=[("Group <one>", [("1", "One")]), ("", [("2", "Two")]), ("3", "Three")]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    agree = forms.BooleanField(initial=True)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": True}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), initial=dt.date.today)
    moment = forms.SplitDateTimeField(initial=NOW)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h&h")
    hiddens = forms.MultipleChoiceField(
        choices=[("1", "1"), ("2", "2")], widget=forms.MultipleHiddenInput, initial=["1", "2"]
    )
    upload = forms.FileField(widget=forms.FileInput(attrs={"accept": ".csv"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="s3")
    radios = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("name", list(EveryWidget.base_fields))
def test_every_kind_of_widget_is_drawn_as_its_template_draws_it(monkeypatch, bound, name):
    sent = {"text": "<b>'", "kind": "zzz", "many": ["y"], "moment_0": "x", "hiddens": ["2"]}
    drawn = []
    for in_python in (False, True):
        monkeypatch.setattr(WidgetRenderer, "draw_in_python", in_python)
        drawn.append(str(EveryWidget(sent if bound else None)[name]))
    assert drawn[1] == drawn[0]
    assert drawn[1].startswith("<")


class WithFormErrors(forms.Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError(["Both <b>at once</b> cannot be.", "And another."])


@pytest.mark.parametrize("bound", [False, True])
def test_a_whole_form_is_drawn_as_the_packs_form_template_draws_it(pack_template, bound):
    """`|crispy`: the errors that belong to no field, then every field, hidden ones too."""
    drawn = []
    for pack in (True, False):
        pack_template(pack)
        template = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
        form = WithFormErrors({"name": "", "secret": "s"} if bound else None)
        drawn.append(template.render(Context({"form": form})))
    assert _plain(drawn[1]) == _plain(drawn[0])
    if bound:
        assert "Both &lt;b&gt;at once&lt;/b&gt; cannot be." in drawn[1]
        assert 'class="alert alert-block alert-danger"' in drawn[1]
    assert 'type="hidden" name="secret"' in drawn[1]
