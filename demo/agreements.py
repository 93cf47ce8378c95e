"""Agreements: each active partner's MOU, a data-sharing agreement with a health partner that
ends in seven weeks (its renewal follow-up already due), a facility use agreement that expired,
a photo and media consent in review; the signed MOU on file with its agreement."""

import datetime as dt

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agreements.models import Agreement
from agreements.services import agreement_save
from documents.models import Document
from partners.models import Organization, Stage

# Agreements per 40 organizations (one unit of the demo).
MOUS_PER_UNIT = 2


def demo_agreements_load(*, staff: list[User], scale: int) -> int:
    today = timezone.localdate()
    made = 0
    active = list(
        Organization.objects.filter(stage=Stage.ACTIVE).order_by("pk")[: MOUS_PER_UNIT * scale + 3]
    )
    for n, organization in enumerate(active[: MOUS_PER_UNIT * scale]):
        signed = today - dt.timedelta(days=200 + 40 * (n % 5))
        mou = Agreement(
            kind=Agreement.Kind.MOU,
            title=f"MOU: shared programming with {organization.name}"[:200],
            status=Agreement.Status.ACTIVE,
            signed_on=signed,
            starts_on=signed,
            ends_on=signed + dt.timedelta(days=730),
            owner=staff[n % len(staff)],
            library_signatory="Library director",
            partner_signatory="Executive director",
            obligations="Co-host at least two programs a year; share attendance figures.",
        )
        agreement_save(agreement=mou, organizations=[organization], by=staff[n % len(staff)])
        # The signed MOU uploaded to the partner is filed with its agreement (still the
        # partner's, on its page and timeline).
        Document.objects.filter(organization=organization, kind="agreement").update(
            record_type=ContentType.objects.get_for_model(Agreement), record_id=mou.pk
        )
        made += 1
    if len(active) < 3:
        return made
    health, school, fair = active[-3:]
    examples = [
        (
            health,
            Agreement.Kind.DATA_SHARING,
            "Data-sharing: workshop attendance",
            Agreement.Status.ACTIVE,
            49,
        ),
        (
            school,
            Agreement.Kind.FACILITY_USE,
            "Facility use: meeting room",
            Agreement.Status.ACTIVE,
            -20,
        ),
        (
            fair,
            Agreement.Kind.MEDIA_CONSENT,
            "Photo and media consent: health fair",
            Agreement.Status.IN_REVIEW,
            300,
        ),
    ]
    for organization, kind, title, status, ends_in in examples:
        in_force = status in Agreement.IN_FORCE
        agreement = Agreement(
            kind=kind,
            title=title,
            status=status,
            signed_on=today - dt.timedelta(days=320) if in_force else None,
            starts_on=today - dt.timedelta(days=320),
            ends_on=today + dt.timedelta(days=ends_in),
            renewal_notice_days=60,
            owner=staff[0],
        )
        agreement_save(agreement=agreement, organizations=[organization], by=staff[0])
        made += 1
    # The facility use agreement ended three weeks ago: the daily task marks it expired.
    from agreements.services import agreements_expire

    agreements_expire(today=today)
    return made
