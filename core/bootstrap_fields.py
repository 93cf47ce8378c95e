"""One form field in Bootstrap 5 markup, as crispy-bootstrap5's `bootstrap5/field.html` writes it,
written in Python.

Every form in Liaison is drawn by django-crispy-forms with the crispy-bootstrap5 template pack
(`{{ form|crispy }}`, `{{ form.field|as_crispy_field }}`). The pack's field template is a tree of
a dozen Django templates; drawing one field through it took about a millisecond, and the
organization page's quick log alone has ten fields. `templates/bootstrap5/field.html` replaces
that one template of the pack with `{% bootstrap_field %}`, which calls `field_html` below: the
same markup (config/tests/test_form_markup.py draws every page with a form both ways and
compares them), in a tenth of the time. `templates/bootstrap5/uni_form.html`, what `|crispy`
draws (the form's errors, then each field), is `{% bootstrap_form %}` and `form_html` likewise.

The widget inside each field (the input, the select) is Django's own: its context is Django's,
and its template is Django's Jinja2 one (`WidgetRenderer`, settings.FORM_RENDERER), written in
Python for the few every form uses (an input, a select and its options, a text area, a row of
them), as Jinja2 draws them: a select of forty options was forty-one templates.

What the pack's field template reads besides the field comes from a crispy FormHelper; Liaison's
forms have none. A helper option this function does not draw (a horizontal form, a label class,
inline help or errors) raises an error rather than drawing something else.
"""

from collections.abc import Callable
from typing import Any

from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import Context, TemplateDoesNotExist
from django.template.defaultfilters import unordered_list
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

# Options of a crispy FormHelper that the pack's template draws and this module does not.
UNSUPPORTED = ("label_class", "help_text_inline", "error_text_inline", "flat_attrs", "tag")


def _add_classes(field: BoundField, classes: str) -> None:
    """crispy's `{% crispy_field field 'class' classes %}`: the widget's own class name, then the
    Bootstrap classes, added to each widget's attrs (crispy keeps them on the widget)."""
    widget = field.field.widget
    widgets = getattr(widget, "widgets", [getattr(widget, "widget", widget)])
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    for each in widgets:
        class_name = each.__class__.__name__.lower()
        class_name = converters.get(class_name, class_name)
        css_class = each.attrs.get("class", "")
        if css_class:
            if css_class.find(class_name) == -1:
                css_class += f" {class_name}"
        else:
            css_class = class_name
        each.attrs["class"] = css_class
        for name in classes.split():
            if name not in each.attrs["class"].split():
                each.attrs["class"] += f" {name}"


def _widget(field: BoundField, classes: str) -> str:
    _add_classes(field, classes)
    return str(field)


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """crispy-bootstrap5's layout/attrs.html: ` name="value"`, bare for True, none for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.errors.field_id,  # type: ignore[attr-defined]  # Django 5.0's; not in the stubs
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
        ),
    )


def _help_text(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    # The pack marks help text safe: forms write it, users do not.
    if field.auto_id:
        return format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308
        )
    return format_html('<div class="form-text">{}</div>', mark_safe(field.help_text))  # noqa: S308


def _help_text_and_errors(field: BoundField) -> SafeString:
    return format_html("{}{}", _errors(field), _help_text(field))


def _choices(field: BoundField, *, field_class: str) -> SafeString:
    """crispy-bootstrap5's layout/radio_checkbox_select.html."""
    from crispy_forms.templatetags.crispy_forms_filters import optgroups

    invalid = " is-invalid" if field.errors else ""
    groups = list(optgroups(field))
    parts: list[str] = []
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, start=1):
            last = number == len(options) and group_number == len(groups)
            parts.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" '
                    'name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label>'
                    "{}</div>",
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    _errors(field) if field.errors and last else "",
                )
            )
    opening = format_html('<div class="{}">', field_class) if field_class else mark_safe("<div >")
    return format_html("{}{}</div>{}", opening, mark_safe("".join(parts)), _help_text(field))


def _file(field: BoundField) -> SafeString:
    """crispy-bootstrap5's layout/field_file.html, for a plain file input (Liaison's uploads
    take a new file each time: no "currently" link, no clear box)."""
    parts = []
    for widget in field.subwidgets:
        data = widget.data
        if data.get("is_initial"):
            raise NotImplementedError("A file field with a current file is not drawn here.")
        attrs = {name: value for name, value in data["attrs"].items() if name != "class"}
        extra = f" {data['attrs']['class']}" if data["attrs"].get("class") else ""
        parts.append(
            format_html(
                '<div{}><input type="{}" name="{}" class="form-control{}{}"{}{}>{}</div>',
                mark_safe(' class="is-invalid"') if field.errors else "",
                data["type"],
                data["name"],
                extra,
                " is-invalid" if field.errors else "",
                mark_safe(" disabled") if field.field.disabled else "",
                _attrs(attrs),
                _help_text_and_errors(field),
            )
        )
    return mark_safe("".join(parts))


def _label(field: BoundField, *, tag: str, classes: str, last: str = "") -> SafeString:
    required = field.field.required
    return format_html(
        '<{} {}class="{}{}{}">{}{}</{}>',
        tag,
        format_html('for="{}" ', field.id_for_label) if field.id_for_label else "",
        classes,
        " requiredField" if required else "",
        last,
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        tag,
    )


def _control(field: BoundField, *, field_class: str, show_labels: bool) -> SafeString:
    """The input itself, with its help and errors, for any field but a list of choices."""
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.CheckboxInput) and show_labels:
        return format_html(
            "{}{}{}",
            mark_safe(_widget(field, "form-check-input" + invalid)),
            _label(field, tag="label", classes="form-check-label"),
            _help_text_and_errors(field),
        )
    if isinstance(widget, forms.FileInput):
        inner = _file(field)
    else:
        if isinstance(widget, forms.Select):
            classes = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            classes = "form-check-input"
        else:
            classes = "form-control"
        inner = format_html(
            "{}{}", mark_safe(_widget(field, classes + invalid)), _help_text_and_errors(field)
        )
    if field_class:
        return format_html('<div class="{}">{}</div>', field_class, inner)
    return inner


def field_html(field: BoundField, context: "Context | dict[str, Any] | None" = None) -> SafeString:
    """The field as the pack's field.html draws it, given the template's context (what
    crispy passes: whether to show labels and errors, a wrapper and a field class)."""
    context = context or {}
    for option in UNSUPPORTED:
        if context.get(option):
            raise NotImplementedError(f"core.bootstrap_fields does not draw {option!r}.")
    if "form-horizontal" in (context.get("form_class") or ""):
        raise NotImplementedError("core.bootstrap_fields does not draw horizontal forms.")
    if field.is_hidden:
        return mark_safe(str(field))
    show_labels = bool(context.get("form_show_labels", True))
    field_class = context.get("field_class") or ""
    widget = field.field.widget
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    # CheckboxSelectMultiple is a RadioSelect in Django: both are lists of choices.
    is_choices = isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect))
    classes = " ".join(
        name
        for name in (
            "form-check" if is_checkbox and show_labels else "mb-3",
            context.get("wrapper_class") or "",
            field.css_classes(),
        )
        if name
    )
    fieldset = bool(field.use_fieldset and field.label and show_labels)
    parts: list[str] = []
    if field.label and not is_checkbox and show_labels:
        if field.use_fieldset:
            parts.append(
                format_html(
                    "<fieldset{}>",
                    format_html(' aria-describedby="{}"', field.aria_describedby)
                    if field.aria_describedby
                    else "",
                )
            )
        parts.append(
            _label(
                field,
                tag="legend" if field.use_fieldset else "label",
                classes="form-label",
                last=" fs-6" if field.use_fieldset else "",
            )
        )
    if is_choices:
        parts.append(_choices(field, field_class=field_class))
    else:
        parts.append(_control(field, field_class=field_class, show_labels=show_labels))
    if fieldset:
        parts.append("</fieldset>")
    html = format_html(
        '<div id="div_{}" class="{}">{}</div>',
        field.auto_id,
        classes,
        mark_safe("".join(str(part) for part in parts)),
    )
    if is_checkbox:
        return format_html('<div class="mb-3">{}</div>', html)
    return html


def _form_errors(form: forms.BaseForm, title: str) -> str:
    """crispy-bootstrap5's errors.html: the errors that belong to no one field."""
    errors = form.non_field_errors()
    if not errors:
        return ""
    heading = format_html('<h4 class="alert-heading">{}</h4>', title) if title else ""
    return format_html(
        '<div class="alert alert-block alert-danger">{}<ul class="m-0">{}</ul></div>',
        heading,
        unordered_list(errors, autoescape=True),
    )


def form_html(form: forms.BaseForm, context: "Context | dict[str, Any]") -> SafeString:
    """The form as the pack's uni_form.html draws it (`|crispy`): its media if asked, its errors,
    then every field through field.html (field_html), spaced as the pack's specialspaceless
    leaves them."""
    field_template = context.get("field_template") or "bootstrap5/field.html"
    if field_template != "bootstrap5/field.html":
        raise NotImplementedError(f"core.bootstrap_fields does not draw {field_template!r}.")
    parts = []
    if context.get("include_media"):
        parts.append(str(form.media))
    if context.get("form_show_errors"):
        parts.append(_form_errors(form, context.get("form_error_title") or ""))
    parts.extend(field_html(field, context) for field in form)
    return mark_safe(remove_spaces("   ".join(part for part in parts if part)))


# Django's Jinja2 widget templates (django/forms/jinja2/django/forms/widgets/), written in
# Python: each takes the widget's context and gives what Jinja2 gives (markupsafe's escaping,
# a template's last newline dropped). config/tests/test_form_markup.py draws every page's
# widgets both ways and compares them.
WIDGETS = "django/forms/widgets/"
DrawWidget = Callable[[dict[str, Any]], str]


def _widget_attrs(widget: dict[str, Any]) -> str:
    """attrs.html."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in widget["attrs"].items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    """input.html, which text.html, date.html, checkbox.html and the rest include."""
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{_widget_attrs(widget)}>"
    )


def _select(widget: dict[str, Any]) -> str:
    """select.html, with select_option.html for each option."""
    parts = [f'<select name="{escape(widget["name"])}"{_widget_attrs(widget)}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _drawn(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    """select_option.html."""
    return (
        f'<option value="{escape(option["value"])}"{_widget_attrs(option)}>'
        f"{escape(option['label'])}</option>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    """textarea.html."""
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{_widget_attrs(widget)}>\n{value}</textarea>'


def _multiwidget(widget: dict[str, Any]) -> str:
    """multiwidget.html (a date and a time side by side)."""
    return "".join(_drawn(subwidget) for subwidget in widget["subwidgets"])


INPUTS = "text checkbox color date datetime email file hidden number password search tel time url"
DRAWN: dict[str, DrawWidget] = {
    **{f"{WIDGETS}{name}.html": _input for name in ("input", *INPUTS.split())},
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}select_option.html": _option,
    f"{WIDGETS}textarea.html": _textarea,
    **{
        f"{WIDGETS}{name}.html": _multiwidget
        for name in ("multiwidget", "splitdatetime", "splithiddendatetime", "multiple_hidden")
    },
}


class _NotDrawn(Exception):
    """A widget (or one inside a row of them) whose template is not written in Python."""


def _drawn(widget: dict[str, Any]) -> str:
    draw = DRAWN.get(widget["template_name"])
    if draw is None:
        raise _NotDrawn(widget["template_name"])
    return draw(widget)


class WidgetRenderer(Jinja2):
    """FORM_RENDERER: Django's own widgets through Jinja2 (Django ships their templates for it,
    and draws a select or a date box several times faster so); a widget whose template exists
    only for the Django engine (the admin's related-object wrapper) through that engine."""

    # Off, every widget is drawn through its template (the tests compare both).
    draw_in_python = True

    @cached_property
    def django_engine(self) -> DjangoTemplates:
        return DjangoTemplates()

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if self.draw_in_python and template_name in DRAWN:
            try:
                return _drawn(context["widget"])
            except _NotDrawn:
                pass
        return super().render(template_name, context, request)

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.django_engine.get_template(template_name)
