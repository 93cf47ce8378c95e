"""Documents: the signed MOU of active partners, program flyers and sign-in sheets, a grant's
narrative, each uploaded through documents.services as a librarian would, weeks ago."""

import datetime as dt
import io

from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from documents.models import Document
from documents.samples import pdf_bytes, png_bytes
from documents.services import Upload, document_upload
from partners.models import Organization, Stage
from programs.models import Program

# Documents per 40 organizations (one unit of the demo): about 1,000 at 10,000 organizations.
MOUS_PER_UNIT = 2


def _upload(
    record: Model, name: str, data: bytes, kind: str, title: str, by: User, days_ago: int
) -> Document:
    document = document_upload(
        record=record,
        upload=Upload(file=io.BytesIO(data), name=name, size=len(data)),
        kind=kind,
        title=title,
        by=by,
    )
    when = timezone.now() - dt.timedelta(days=days_ago)
    Document.objects.filter(pk=document.pk).update(created_at=when, updated_at=when)
    document.versions.update(uploaded_at=when)
    return document


def demo_documents_load(*, staff: list[User], scale: int) -> int:
    """Signed MOUs of active partners, a flyer and a sign-in sheet per program of the first
    unit, a grant narrative; how many documents."""
    count = 0
    active = Organization.objects.filter(stage=Stage.ACTIVE).order_by("pk")[: MOUS_PER_UNIT * scale]
    for n, organization in enumerate(active):
        by = staff[n % len(staff)]
        year = timezone.localdate().year - (n % 2)
        data = pdf_bytes(
            "Memorandum of understanding",
            f"{organization.name} and the public library",
            f"Signed {year}: shared programming, referrals, data on attendance.",
        )
        _upload(
            organization,
            "MOU signed.pdf",
            data,
            Document.Kind.AGREEMENT,
            "Signed MOU",
            by,
            30 + n % 300,
        )
        count += 1
    for n, program in enumerate(Program.objects.order_by("pk")[:6]):
        by = staff[n % len(staff)]
        _upload(
            program,
            "flyer.png",
            png_bytes(),
            Document.Kind.FLYER,
            f"Flyer: {program.title}",
            by,
            20 + n,
        )
        sheet = b"Name,Date,Zip code\nA. Rivera,2026-10-02,60612\nJ. Chen,2026-10-02,60616\n"
        _upload(
            program, "sign-in sheet.csv", sheet, Document.Kind.OTHER, "Sign-in sheet", by, 18 + n
        )
        count += 2
    grant = Program.objects.filter(kind=Program.Kind.GRANT).order_by("pk").first()
    if grant is not None:
        narrative = pdf_bytes(
            "Grant narrative", grant.title, "Need, approach, partners, evaluation."
        )
        _upload(
            grant,
            "narrative draft.pdf",
            narrative,
            Document.Kind.NARRATIVE,
            "Grant narrative (draft)",
            staff[0],
            40,
        )
        count += 1
    return count
