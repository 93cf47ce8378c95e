"""The documents list, each record's Documents section, the partner's timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.tests.test_files import make, section
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners.tests.factories import ContactFactory, OrganizationFactory
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
LIST = reverse("documents:document_list")


def titles(client, query: str = "") -> list[str]:
    page = client.get(LIST + query)
    return [document.title for document in page.context["page"].object_list]


def test_the_list_finds_a_document_by_its_words_kind_and_partner(librarian_client, librarian):
    clinic, school = OrganizationFactory(name="Clinic"), OrganizationFactory(name="School")
    make(clinic, librarian, title="Signed MOU", description="Data-sharing terms")
    make(school, librarian, title="Facility use agreement", name="facility.pdf")
    flyer = make(clinic, librarian, title="Health fair flyer", name="fair.pdf")
    flyer.kind = "flyer"
    flyer.save()
    assert titles(librarian_client) == ["Health fair flyer", "Facility use agreement", "Signed MOU"]
    assert titles(librarian_client, "?q=mou") == ["Signed MOU"]
    assert titles(librarian_client, "?q=data-sharing") == ["Signed MOU"]
    assert titles(librarian_client, "?q=agreement+facility") == ["Facility use agreement"]
    assert titles(librarian_client, "?kind=flyer") == ["Health fair flyer"]
    assert titles(librarian_client, f"?organization={school.pk}") == ["Facility use agreement"]
    page = librarian_client.get(LIST + "?q=mou").content.decode()
    assert clinic.get_absolute_url() in page and "Clinic" in page


def test_the_list_reads_the_same_few_queries_for_few_or_many(librarian_client, librarian):
    clinic = OrganizationFactory()
    make(clinic, librarian)
    make(TouchpointFactory(organization=clinic), librarian)

    def count() -> int:
        librarian_client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            assert librarian_client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for n in range(30):
        record = [clinic, ContactFactory(), MeetingFactory(), ProgramFactory()][n % 4]
        make(record, librarian, title=f"Document {n}")
    # The request's own; the count; a page of documents with partner and contact names; the
    # titles of the touchpoints, meetings and programs they are on (one UNION).
    assert count() == few <= 4 + 3
    html = librarian_client.get(LIST).content.decode()
    assert "Meeting: <a href=" in html and "Program: <a href=" in html
    assert "Touchpoint: <a href=" in librarian_client.get(LIST + "?page=2").content.decode()


def test_each_record_page_has_its_documents_and_an_upload_form(librarian_client, librarian):
    clinic = OrganizationFactory()
    records = {
        "contact": ContactFactory(),
        "touchpoint": TouchpointFactory(organization=clinic),
        "meeting": MeetingFactory(organization=clinic),
        "program": ProgramFactory(),
    }
    urls = {
        "contact": reverse("partners:contact_detail", args=[records["contact"].pk]),
        "touchpoint": reverse("outreach:touchpoint_detail", args=[records["touchpoint"].pk]),
        "meeting": reverse("outreach:meeting_detail", args=[records["meeting"].pk]),
        "program": reverse("programs:program_detail", args=[records["program"].pk]),
    }
    for kind, record in records.items():
        make(record, librarian, title=f"On the {kind}")
        html = section(librarian_client.get(urls[kind]))
        assert f"On the {kind}" in html
        assert f"to={kind}&amp;of={record.pk}" in html and 'type="file"' in html
    # Those of the partner's touchpoints and meetings are the partner's too: its section
    # follows its page (core.panels: deferred).
    page = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert "Documents" in page and 'type="file"' not in page
    panel = reverse("panel", args=["organization", "organization-documents"])
    html = section(librarian_client.get(panel, {"of": clinic.pk}))
    assert "On the touchpoint" in html and "On the meeting" in html
    assert "On the contact" not in html


def test_the_partners_timeline_says_what_was_uploaded(librarian_client, librarian, clinic):
    document = make(clinic, librarian, title="Signed MOU")
    html = librarian_client.get(clinic.get_absolute_url()).content.decode()
    entry = html[html.index("timeline-document") :]
    entry = entry[: entry.index("</li>")]
    assert "Uploaded:" in entry and "Signed MOU" in entry and "(Agreement)" in entry
    assert document.get_absolute_url() in entry


def test_what_a_person_typed_is_escaped(librarian_client, librarian, clinic):
    make(clinic, librarian, title="<script>alert(1)</script>", description="<b>bold</b>")
    for url in (LIST, clinic.get_absolute_url()):
        html = librarian_client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_documents_page_reads_the_same_few_queries_for_one_version_or_many(
    librarian_client, librarian
):
    from documents.tests.test_files import add_version

    def count(url: str) -> int:
        librarian_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert librarian_client.get(url).status_code == 200
        return len(queries)

    on_a_meeting = make(MeetingFactory(), librarian)
    few = count(on_a_meeting.get_absolute_url())
    for n in range(12):
        add_version(on_a_meeting, librarian, b"version %d\n" % n, f"v{n}.txt")
    # The request's own; the document with its people and partner; the record it is on;
    # its versions.
    assert count(on_a_meeting.get_absolute_url()) == few <= 4 + 3
    # The same on a partner's or a contact's document: the record is one query whatever it is.
    for record in (OrganizationFactory(), ContactFactory(), ProgramFactory()):
        assert count(make(record, librarian).get_absolute_url()) == few
    html = librarian_client.get(on_a_meeting.get_absolute_url()).content.decode()
    assert html.count('data-label="Version"') == 13


def test_a_bad_filter_never_widens_the_list(librarian_client, librarian):
    clinic = OrganizationFactory(name="Clinic")
    make(clinic, librarian, title="Signed MOU")
    make(OrganizationFactory(), librarian, title="Other", name="other.pdf")
    assert titles(librarian_client, "?organization=abc") == []
    assert titles(librarian_client, "?kind=bogus&q=mou") == []  # a kind not offered
    assert titles(librarian_client, "?q=" + "x" * 300) == []
    page = librarian_client.get(LIST + "?organization=abc").content.decode()
    assert "Of one partner only" not in page and "Show every partner" not in page


def test_a_record_with_more_documents_than_shown_links_to_all_of_them(librarian_client, librarian):
    meeting = MeetingFactory()
    for n in range(11):
        make(meeting, librarian, title=f"Sheet {n}", name=f"sheet{n}.pdf")
    html = section(librarian_client.get(reverse("outreach:meeting_detail", args=[meeting.pk])))
    link = f"{LIST}?to=meeting&amp;of={meeting.pk}"
    assert link in html
    assert len(titles(librarian_client, f"?to=meeting&of={meeting.pk}")) == 11
    make(OrganizationFactory(), librarian, title="Elsewhere")
    assert "Elsewhere" not in titles(librarian_client, f"?to=meeting&of={meeting.pk}")
