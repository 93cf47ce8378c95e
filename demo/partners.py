"""Demo data: fictional partners, people and pipeline history for trying Liaison out.

Everything here is invented: places, organizations, people. Phone numbers use the 555-01xx range
kept for fiction; web and email addresses end in example.org. The data comes in "units" of one
place each (40 organizations, 120 contacts), so `scale` units make a large but still realistic
service area for load testing. The same seed always gives the same data.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from core import roles
from demo.bulk import insert
from demo.partner_texts import (
    ACTIVE_NOTES,
    AREA_CODES,
    CONTACT_NOTES,
    DECLINED_NOTES,
    DORMANT_NOTES,
    FIRST_NAMES,
    FOCUS_AREA_TEXT,
    IDENTIFIED_NOTES,
    LAST_NAMES,
    ORGANIZATIONS_PER_UNIT,
    PLACE_MODIFIERS,
    PLACE_PREFIXES,
    PLACE_SUFFIXES,
    PREVIOUS_JOBS,
    SECOND_HATS,
    STAGE_MIX,
    STREETS,
    TEMPLATES,
    TIES,
    UNIT_0_COUNTY,
    UNIT_0_TOWNS,
    OrganizationTemplate,
)
from partners.models import (
    Affiliation,
    Contact,
    FocusArea,
    Organization,
    Stage,
    StageChange,
    normalize_name,
)
from partners.relations import OrganizationRelation

if TYPE_CHECKING:
    # The link table Django makes for the many-to-many field (django-stubs gives it a type).
    from partners.models import Organization_focus_areas

DEMO_PASSWORD = "liaison-demo"
DEFAULT_SEED = 1848  # any fixed number will do: one seed, one data set


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


DEMO_USERS = (
    DemoUser("librarian", "Rosa", "Delgado", roles.LIBRARIAN),
    DemoUser("manager", "Marcus", "Whitfield", roles.MANAGER),
)


TEMPLATE_INDEX = {template.name: index for index, template in enumerate(TEMPLATES)}


@dataclass(frozen=True)
class DemoCounts:
    organizations: int
    contacts: int
    affiliations: int
    stage_changes: int


def _generated_place_names() -> list[str]:
    """Distinct place names for the units after the first, always in the same order."""
    taken = {normalize_name(name) for name in (UNIT_0_COUNTY, *UNIT_0_TOWNS)}
    bases = [prefix + suffix for prefix in PLACE_PREFIXES for suffix in PLACE_SUFFIXES]
    random.Random(0).shuffle(bases)  # neighbouring units should not all be "Alder-something"
    names = []
    for modifier in PLACE_MODIFIERS:
        for base in bases:
            key = normalize_name(modifier + base)
            if key not in taken:
                taken.add(key)
                names.append(modifier + base)
    return names


GENERATED_PLACES = _generated_place_names()
MAX_SCALE = 1 + len(GENERATED_PLACES)


def place_for_unit(unit: int) -> tuple[str, tuple[str, ...]]:
    """The county and towns of one unit; past the first, the county seat stands for its towns."""
    if unit == 0:
        return UNIT_0_COUNTY, UNIT_0_TOWNS
    return GENERATED_PLACES[unit - 1], (GENERATED_PLACES[unit - 1],)


def demo_users_ensure() -> list[User]:
    """The demo librarian and manager, with the demo password and exactly their one role."""
    users = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.email = f"{demo.username}@library.example.org"
        user.is_active = True
        # Setting the same password again would still sign out everyone using the account. A new
        # account has none to check (and checking would hash the password once more, ~1 s).
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        users.append(user)
    return users


def _stage_path(stage: str, rng: random.Random) -> list[str]:
    """A plausible walk through the pipeline that ends at `stage`."""
    pipeline: list[str] = [
        Stage.IDENTIFIED,
        Stage.RESEARCHING,
        Stage.CONTACTED,
        Stage.IN_DISCUSSION,
    ]
    if stage == Stage.ACTIVE and rng.random() < 0.15:
        return [Stage.ACTIVE]  # a long-standing partner, entered as active on day one
    if stage == Stage.DORMANT:
        path = [*pipeline, Stage.ACTIVE, Stage.DORMANT]
    elif stage == Stage.DECLINED:
        path = [*pipeline[: rng.choice((3, 4))], Stage.DECLINED]
    else:
        forward = [*pipeline, Stage.ACTIVE]
        path = forward[: forward.index(stage) + 1]
    if len(path) > 2 and rng.random() < 0.3:
        path.remove(Stage.RESEARCHING)  # someone already knew whom to call
    if stage == Stage.ACTIVE and len(path) > 1 and rng.random() < 0.1:
        path[-1:-1] = [Stage.ACTIVE, Stage.DORMANT]  # went quiet, then picked up again
    return path


def _note_for(from_stage: str, to_stage: str, rng: random.Random) -> str:
    if not from_stage:
        if to_stage == Stage.ACTIVE:
            return "Long-standing partner, entered when we started using Liaison."
        return rng.choice(IDENTIFIED_NOTES) if rng.random() < 0.4 else ""
    if to_stage == Stage.DECLINED:
        return rng.choice(DECLINED_NOTES)
    by_stage: dict[str, tuple[str, ...]] = {
        Stage.ACTIVE: ACTIVE_NOTES,
        Stage.DORMANT: DORMANT_NOTES,
    }
    notes = by_stage.get(to_stage)
    return rng.choice(notes) if notes and rng.random() < 0.6 else ""


def _history(
    organization: Organization, staff: Sequence[User], now: datetime, rng: random.Random
) -> list[StageChange]:
    """Stage changes over the past ~18 months, oldest first, ending at the organization's stage.

    Also sets organization.stage_changed_at, which must be the time of the last change.
    """
    path = _stage_path(organization.stage, rng)
    start_days_ago = rng.uniform(20 + 25 * len(path), 545)
    offsets = sorted(rng.uniform(0, start_days_ago - 2) for _ in path[1:])
    changes: list[StageChange] = []
    for from_stage, to_stage, offset in zip(["", *path], path, [0.0, *offsets], strict=False):
        at = now - timedelta(days=start_days_ago - offset)
        if changes and at <= changes[-1].changed_at:
            at = changes[-1].changed_at + timedelta(minutes=1)
        changes.append(
            StageChange(
                organization=organization,
                from_stage=from_stage,
                to_stage=to_stage,
                changed_by=organization.owner or (rng.choice(staff) if staff else None),
                changed_at=at,
                note=_note_for(from_stage, to_stage, rng),
            )
        )
    organization.stage_changed_at = changes[-1].changed_at
    return changes


def _profile_texts(
    template: OrganizationTemplate, focus: list[str], *, town: str, county: str
) -> dict[str, str]:
    initiative, offer = FOCUS_AREA_TEXT.get(focus[0] if focus else "", ("outreach", "programs"))
    also = f" and {FOCUS_AREA_TEXT[focus[1]][1]}" if len(focus) > 1 else ""
    return {
        "mission": template.mission.format(town=town, county=county),
        "initiatives": f"This year: {initiative}. Planning a community outreach push in spring.",
        "services": template.services.format(town=town, county=county) + ".",
        "populations_served": template.populations_served.format(town=town, county=county) + ".",
        "common_ground": f"The library can offer {offer}{also}, reaching the same people.",
    }


def _stages_for_unit(rng: random.Random) -> list[str]:
    stages = [stage for stage, count in STAGE_MIX.items() for _ in range(count)]
    stages = (stages * ORGANIZATIONS_PER_UNIT)[:ORGANIZATIONS_PER_UNIT]
    rng.shuffle(stages)
    return stages


def _years_ago(today: date, rng: random.Random, low: float, high: float) -> date:
    return today - timedelta(days=int(365 * rng.uniform(low, high)))


class _Builder:
    """Every row of the data set, built in memory so that each table takes one bulk insert."""

    def __init__(self, *, staff: Sequence[User], seed: int) -> None:
        self.staff = list(staff)
        # Librarians look after most partnerships; some have nobody assigned yet.
        self.owners = [*self.staff, *self.staff[:1], None]
        self.rng = random.Random(seed)
        self.now, self.today = timezone.now(), timezone.localdate()
        self.focus_ids = dict(FocusArea.objects.values_list("name", "pk"))
        self.organizations: list[Organization] = []
        self.focus_links: list[Organization_focus_areas] = []
        self.changes: list[StageChange] = []
        self.contacts: list[Contact] = []
        self.affiliations: list[Affiliation] = []
        self.relations: list[OrganizationRelation] = []
        # (created_at, updated_at) of each organization, by id(): auto_now would say "now".
        self.stamps: dict[int, tuple[datetime, datetime]] = {}
        self.area_code = AREA_CODES[0]

    def unit(self, unit: int) -> None:
        county, towns = place_for_unit(unit)
        stages = _stages_for_unit(self.rng)
        self.area_code = self.rng.choice(AREA_CODES)
        organizations = []
        jobs: dict[tuple[int, int], Affiliation] = {}
        for index, template in enumerate(TEMPLATES):
            town = towns[index % len(towns)]
            organization = self.organization(template, stages[index], town, county)
            organizations.append(organization)
            for position in range(3):
                jobs[index, position] = self.person_at(organization, template, position)
        for name, position, other, title in SECOND_HATS:
            contact = jobs[TEMPLATE_INDEX[name], position].contact
            self.affiliate(contact, organizations[TEMPLATE_INDEX[other]], title)
        for name, kind, other, began, ended, note in TIES:
            self.relations.append(
                OrganizationRelation(
                    organization=organizations[TEMPLATE_INDEX[name]],
                    kind=kind,
                    related=organizations[TEMPLATE_INDEX[other]],
                    # Whole years back, drawing nothing from the random sequence.
                    started_on=self.today - timedelta(days=365 * began) if began else None,
                    ended_on=self.today - timedelta(days=365 * ended) if ended else None,
                    note=note,
                )
            )
        for name, position, other, title in PREVIOUS_JOBS:
            current = jobs[TEMPLATE_INDEX[name], position]
            old = self.affiliate(current.contact, organizations[TEMPLATE_INDEX[other]], title)
            old.end_date = _years_ago(self.today, self.rng, 1, 2)
            old.start_date = old.end_date - timedelta(days=self.rng.randint(400, 2500))
            current.start_date = old.end_date + timedelta(days=self.rng.randint(7, 60))

    def organization(
        self, template: OrganizationTemplate, stage: str, town: str, county: str
    ) -> Organization:
        rng = self.rng
        name = template.name.format(town=town, county=county)
        slug = normalize_name(name)
        # Agencies with long names go by their initials online, as real ones do.
        domain = slug if len(slug) <= 24 else "".join(w[0] for w in name.split() if w[0].isupper())
        domain = f"{domain.lower()}.example.org"
        known = [f for f in template.focus_areas.split(", ") if f in self.focus_ids]
        focus = rng.sample(known, k=rng.randint(min(1, len(known)), len(known)))
        organization = Organization(
            name=name,
            # bulk_create skips save(), which is what normally keeps this in step with the name.
            normalized_name=slug,
            kind=template.kind,
            government_level=template.government_level,
            website=f"https://www.{domain}",
            email=f"info@{domain}",
            phone=self.phone(),
            address=f"{rng.randint(10, 2999)} {rng.choice(STREETS)}\n{town}",
            owner=rng.choice(self.owners),
            stage=stage,
            **_profile_texts(template, focus, town=town, county=county),
        )
        self.organizations.append(organization)
        through = Organization.focus_areas.through
        self.focus_links += [
            through(organization=organization, focusarea_id=self.focus_ids[f]) for f in focus
        ]
        history = _history(organization, self.staff, self.now, rng)
        self.changes += history
        # Added when its history began; last changed when its stage did.
        self.stamps[id(organization)] = (history[0].changed_at, organization.stage_changed_at)
        return organization

    def person_at(
        self, organization: Organization, template: OrganizationTemplate, position: int
    ) -> Affiliation:
        contact = self.contact(organization)
        # Nobody is the go-to person yet at an organization the library has only spotted.
        primary = position == 0 and organization.stage != Stage.IDENTIFIED
        title = template.titles.split("; ")[position]
        affiliation = self.affiliate(contact, organization, title, primary=primary)
        # A dormant partnership often went quiet because the person we knew left.
        left = (position == 0 and organization.stage == Stage.DORMANT) or (
            position == 2 and self.rng.random() < 0.25
        )
        if left:
            affiliation.end_date = _years_ago(self.today, self.rng, 0.1, 1.5)
            affiliation.start_date = affiliation.end_date - timedelta(
                days=self.rng.randint(200, 3000)
            )
        return affiliation

    def contact(self, organization: Organization) -> Contact:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = len(self.contacts) + 1  # keeps emails unique however many Maria Garcias
        has_email = rng.random() > 0.04
        if has_email:
            channels, weights = list(Contact.Channel.values), [60, 20, 8, 12]
        else:
            channels, weights = [Contact.Channel.PHONE, Contact.Channel.LETTER], [3, 1]
        domain = organization.email.partition("@")[2]  # colleagues share a mail domain
        email = f"{normalize_name(first)}.{normalize_name(last)}{number}@{domain}"
        opted_out = rng.random() < 0.06
        contact = Contact(
            name=f"{first} {last}",
            email=email if has_email else "",
            phone=self.phone() if not has_email or rng.random() < 0.6 else "",
            preferred_channel=rng.choices(channels, weights=weights)[0],
            notes=rng.choice(CONTACT_NOTES) if rng.random() < 0.15 else "",
            do_not_contact=rng.random() < 0.03,
            opted_out_of_updates=opted_out,
            opted_out_at=self.now - timedelta(days=rng.randint(5, 300)) if opted_out else None,
        )
        self.contacts.append(contact)
        return contact

    def phone(self) -> str:
        return f"({self.area_code}) 555-01{self.rng.randrange(100):02d}"  # reserved for fiction

    def affiliate(
        self, contact: Contact, organization: Organization, title: str, *, primary: bool = False
    ) -> Affiliation:
        start = _years_ago(self.today, self.rng, 0.2, 12) if self.rng.random() < 0.75 else None
        affiliation = Affiliation(
            contact=contact,
            organization=organization,
            title=title,
            is_primary=primary,
            start_date=start,
        )
        self.affiliations.append(affiliation)
        return affiliation


@transaction.atomic
def demo_partners_load(
    *, staff: Sequence[User], scale: int = 1, seed: int = DEFAULT_SEED
) -> DemoCounts:
    """Load `scale` units of demo partners owned by `staff` (or nobody), in bulk inserts.

    Nothing is checked against existing rows: call it on a database without partners.
    """
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}, not {scale}")
    builder = _Builder(staff=staff, seed=seed)
    for unit in range(scale):
        builder.unit(unit)
    # insert() sets primary keys on the objects, so the rows that point at them go in next
    # without looking anything up.
    insert(Organization, builder.organizations, builder.stamps)
    insert(Organization.focus_areas.through, builder.focus_links)
    insert(StageChange, builder.changes)
    insert(Contact, builder.contacts)
    insert(Affiliation, builder.affiliations)
    insert(OrganizationRelation, builder.relations)
    return DemoCounts(
        organizations=len(builder.organizations),
        contacts=len(builder.contacts),
        affiliations=len(builder.affiliations),
        stage_changes=len(builder.changes),
    )
