"""Demo data: fictional partners, people and pipeline history for trying Liaison out.

Everything here is invented: places, organizations, people. Phone numbers use the 555-01xx range
kept for fiction; web and email addresses end in example.org. The data comes in "units" of one
place each (40 organizations, 100 contacts), so `scale` units make a large but still realistic
service area for load testing. The same seed always gives the same data.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group, User
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from core import roles
from partners.models import (
    Affiliation,
    Contact,
    FocusArea,
    Organization,
    Stage,
    StageChange,
    normalize_name,
)

DEMO_PASSWORD = "liaison-demo"
DEFAULT_SEED = 1848  # any fixed number will do: one seed, one data set
BATCH_SIZE = 2000


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


@dataclass(frozen=True)
class OrganizationTemplate:
    """One kind of partner a library service area usually has, with {town}/{county} holes."""

    name: str
    kind: str
    government_level: str
    focus_areas: str  # existing FocusArea names, comma-separated
    titles: str  # roles of the people the library deals with there, semicolon-separated
    mission: str
    populations_served: str
    services: str


GOV, HEALTH, SCHOOL = "government", "health", "school"
NONPROFIT, BUSINESS, COMMUNITY, OTHER = "nonprofit", "business", "community", "other"

# Patterns must stay different after {town} and {county} are filled with the same name, as they
# are past the first unit: "{town} Arts Council" beside "{county} Arts Council" would clash.
# fmt: off
TEMPLATES = tuple(OrganizationTemplate(*row) for row in (
    ("{town} City Council", GOV, "city", "Civic engagement, Community development",
     "City clerk; Council member; Chief of staff to the mayor",
     "Open, responsive city government for {town}.", "Everyone who lives or works in {town}",
     "City ordinances and budget, public meetings, neighborhood improvement grants"),
    ("{county} County Health Department", GOV, "county", "Health literacy, Wellness, Mental health",
     "Health education specialist; Public health nurse; Community health worker supervisor",
     "Prevent disease and promote health for every resident of {county} County.",
     "County residents, with a focus on uninsured families and new parents",
     "Immunization clinics, WIC, home visiting for new parents, disease investigation"),
    ("{town} Parks and Recreation Department", GOV, "city", "Wellness, Youth and teens",
     "Recreation supervisor; Special events coordinator; Parks director",
     "Parks and programs that keep {town} active.", "Children, families and older adults in {town}",
     "Summer camps, sports leagues, park maintenance, community events"),
    ("{county} County Department of Social Services", GOV, "county",
     "Social services, Housing, Food security",
     "Eligibility supervisor; Community outreach manager; Caseworker",
     "Help county families meet basic needs and stay safe.",
     "Low-income households, foster families, people facing eviction",
     "SNAP and Medicaid enrollment, child protective services, emergency assistance"),
    ("{county} County Workforce Development Board", GOV, "county",
     "Workforce development, Digital literacy",
     "Executive director; Career navigator; Business services representative",
     "Connect job seekers with training and employers with skilled workers.",
     "Job seekers, dislocated workers, young adults, local employers",
     "Career counseling, training vouchers, job fairs, resume help"),
    ("{town} Housing Authority", GOV, "city", "Housing, Social services",
     "Resident services coordinator; Property manager; Deputy director",
     "Safe, affordable homes and stable tenancies in {town}.",
     "Low-income tenants, older adults, people with disabilities",
     "Public housing, housing choice vouchers, resident services"),
    ("{county} Intertribal Council Education Office", GOV, "tribal", "Education, Arts and culture",
     "Education director; Language program coordinator; Youth services manager",
     "Strengthen tribal families through education and language revitalization.",
     "Tribal members and Native families in {county} County",
     "Language classes, tutoring, scholarships, cultural camps"),
    ("State University Extension, {county} County Office", GOV, "state",
     "Food security, Community development, Youth and teens",
     "Extension agent; 4-H program coordinator; Nutrition educator",
     "Bring university research to families, farmers and young people.",
     "Rural families, young people, farmers and gardeners",
     "4-H clubs, nutrition classes, master gardener training"),
    ("Social Security Administration, {town} Field Office", GOV, "federal",
     "Older adults, Social services",
     "Public affairs specialist; Field office manager; Claims specialist",
     "Deliver Social Security services that meet the public's changing needs.",
     "Retirees, people with disabilities, survivors",
     "Retirement and disability claims, benefit verification, Medicare enrollment"),
    ("{town} Community Clinic", HEALTH, "", "Health literacy, Immigrant and refugee services",
     "Outreach coordinator; Medical director; Patient navigator",
     "Quality primary care for everyone, regardless of ability to pay.",
     "Uninsured and underinsured patients, farmworkers, immigrant families",
     "Primary care, dental care, sliding-scale fees, insurance enrollment help"),
    ("St. Luke's {town} Medical Center", HEALTH, "", "Health literacy, Wellness, Older adults",
     "Community benefit manager; Diabetes educator; Volunteer services director",
     "Compassionate care and a healthier community.", "Patients and families across the region",
     "Hospital care, diabetes education, community health needs assessment"),
    ("{county} Intertribal Health Center", HEALTH, "", "Health literacy, Mental health",
     "Community health representative; Behavioral health director; Clinic manager",
     "Culturally grounded health care for Native people and their families.",
     "American Indian and Alaska Native residents and their households",
     "Primary care, behavioral health, traditional healing referrals, elder visits"),
    ("{town} Counseling and Recovery Center", HEALTH, "", "Mental health, Wellness",
     "Clinical director; Peer support specialist; Prevention coordinator",
     "Recovery is possible, and help should be easy to find.",
     "Adults and teens facing mental health or substance use challenges",
     "Counseling, substance use treatment, crisis line, support groups"),
    ("{town} Pediatric Associates", HEALTH, "", "Early literacy, Health literacy",
     "Practice manager; Pediatrician; Nurse educator",
     "Healthy kids from birth through adolescence.", "Children and their parents",
     "Well-child visits, developmental screening, Reach Out and Read book gifts"),
    ("{town} Unified School District", SCHOOL, "", "Education, Youth and teens",
     "Superintendent; School board trustee; Family engagement coordinator",
     "Every student ready for college and career.", "K-12 students and their families",
     "K-12 schools, English learner programs, summer school, family centers"),
    ("{town} Elementary School", SCHOOL, "", "Early literacy, Education",
     "Principal; Teacher librarian; Reading specialist",
     "Joyful readers and confident learners.", "Children aged 5 to 11",
     "Kindergarten to grade 5, after-school tutoring, family reading nights"),
    ("{town} High School", SCHOOL, "", "Youth and teens, Digital literacy",
     "Principal; College and career counselor; Media specialist",
     "Graduates prepared for what comes next.", "Teenagers aged 14 to 18",
     "Grades 9-12, career pathways, dual enrollment, clubs"),
    ("{county} Community College", SCHOOL, "", "Workforce development, Education",
     "Dean of students; Adult education director; Librarian",
     "Open access to higher education and good jobs.", "Adult learners and career changers",
     "Associate degrees, certificates, GED preparation, English classes"),
    ("{county} Head Start", SCHOOL, "", "Early literacy, Social services",
     "Program director; Family services coordinator; Teacher",
     "Kindergarten-ready kids and strong families.",
     "Children aged 3 to 5 from low-income families",
     "Preschool classrooms, home visits, parent education"),
    ("{town} Adult School", SCHOOL, "", "Education, Immigrant and refugee services",
     "Principal; ESL instructor; Transition coordinator",
     "Second chances through learning.", "Adults finishing school and newcomers learning English",
     "English as a second language, citizenship preparation, high school diplomas"),
    ("{town} Food Bank", NONPROFIT, "", "Food security",
     "Executive director; Volunteer coordinator; Partner agency manager",
     "No one in {town} goes hungry.", "Families, seniors and students facing food insecurity",
     "Food pantry, mobile distributions, SNAP application help"),
    ("{town} YMCA", NONPROFIT, "", "Youth and teens, Wellness",
     "Branch director; Youth development director; Membership coordinator",
     "Strengthen the foundations of community.", "Children, teens, families and older adults",
     "Child care, swim lessons, fitness, teen leadership clubs"),
    ("{county} Literacy Council", NONPROFIT, "", "Education, Digital literacy",
     "Executive director; Tutor coordinator; Board chair",
     "Adults who read, write and compute with confidence.", "Adults who struggle with reading",
     "One-to-one adult tutoring, family literacy, digital skills classes"),
    ("{town} Center for New Americans", NONPROFIT, "",
     "Immigrant and refugee services, Civic engagement",
     "Program manager; Immigration legal advocate; Community navigator",
     "Help immigrants and refugees build a home in {town}.", "Immigrants, refugees, asylum seekers",
     "Citizenship classes, legal consultations, refugee resettlement, interpreting"),
    ("{town} Senior Center", NONPROFIT, "", "Older adults, Wellness",
     "Center director; Activities coordinator; Case manager",
     "Healthy, connected aging in {town}.", "Adults aged 60 and over",
     "Congregate meals, exercise classes, Medicare counseling, trips"),
    ("{county} Healthy Communities Coalition", NONPROFIT, "", "Health literacy, Wellness",
     "Coalition coordinator; Health promotion specialist; Board member",
     "Make the healthy choice the easy choice across {county} County.",
     "County residents, especially neighborhoods with the poorest health outcomes",
     "Tobacco prevention, walkability projects, health fairs"),
    ("Boys & Girls Club of {town}", NONPROFIT, "", "Youth and teens, Education",
     "Club director; Education coordinator; Teen program lead",
     "A safe place to learn and grow after school.", "Young people aged 6 to 18",
     "After-school programs, homework help, summer camp, teen center"),
    ("{town} Family Resource Center", NONPROFIT, "", "Social services, Early literacy",
     "Director; Parent educator; Board member",
     "Strong families raising healthy children.", "Parents and caregivers of young children",
     "Parenting classes, playgroups, referrals, diaper bank"),
    ("United Way of {county} County", NONPROFIT, "", "Community development, Social services",
     "Community impact director; Campaign manager; 211 program manager",
     "Mobilize the caring power of the community.", "Residents of {county} County in need of help",
     "Grants to local agencies, 211 information line, free tax preparation"),
    ("{town} Community Credit Union", BUSINESS, "", "Community development, Workforce development",
     "Branch manager; Financial education officer; Marketing director",
     "Member-owned banking that invests in {town}.", "Members and small-business owners",
     "Savings and checking, small loans, free financial coaching"),
    ("{town} Booksellers", BUSINESS, "", "Arts and culture, Early literacy",
     "Owner; Events manager; Children's book buyer",
     "Put good books in people's hands.", "Readers of every age",
     "New and used books, author events, school book fairs"),
    ("{town} Chamber of Commerce", BUSINESS, "", "Workforce development, Community development",
     "President; Membership director; Small business liaison",
     "A thriving local economy for {town}.", "Local businesses and entrepreneurs",
     "Business networking, workshops, visitor information"),
    ("{town} Fresh Market", BUSINESS, "", "Food security",
     "Store manager; Community relations manager; Owner",
     "Fresh, affordable food close to home.", "Shoppers in {town} and nearby neighborhoods",
     "Grocery store, SNAP and WIC accepted, donations to food pantries"),
    ("{county} Broadband Cooperative", BUSINESS, "", "Digital literacy, Community development",
     "General manager; Member services lead; Digital inclusion coordinator",
     "Affordable internet for every {county} County home.", "Rural households and small businesses",
     "Home internet, low-income plans, device refurbishing"),
    ("{town} Neighborhood Association", COMMUNITY, "", "Civic engagement, Housing",
     "President; Secretary; Block captain",
     "Neighbors looking out for one another.", "Residents of the neighborhood",
     "Monthly meetings, clean-up days, block parties"),
    ("Rotary Club of {town}", COMMUNITY, "", "Community development, Civic engagement",
     "Club president; Literacy committee chair; Treasurer",
     "Service above self.", "Local charities and students",
     "Service projects, scholarships, dictionary giveaways to third graders"),
    ("{town} Community Garden Collective", COMMUNITY, "", "Food security, Wellness",
     "Garden coordinator; Volunteer lead; Treasurer",
     "Grow food and friendships.", "Gardeners of every skill level, many living in apartments",
     "Garden plots, seed swaps, gardening workshops"),
    ("{town} Interfaith Alliance", COMMUNITY, "", "Social services, Housing",
     "Coordinator; Pastor; Volunteer chair",
     "Congregations serving neighbors together.", "People experiencing homelessness or hardship",
     "Warming center, meal programs, rent assistance fund"),
    ("{county} Regional Library Association", OTHER, "", "Education, Civic engagement",
     "President; Continuing education chair; Advocacy committee chair",
     "Strong libraries for every community in the region.", "Library staff, trustees and Friends",
     "Conferences, continuing education, legislative advocacy"),
    ("{county} Historical Society", OTHER, "", "Arts and culture, Older adults",
     "Executive director; Archivist; Volunteer docent",
     "Collect, keep and share the stories of {county} County.", "Researchers, schools, visitors",
     "Museum, archives, oral history project, walking tours"),
))
# fmt: on
ORGANIZATIONS_PER_UNIT = len(TEMPLATES)

# What each theme means for a partnership with the library: their initiative, our offer.
FOCUS_AREA_TEXT = {
    "Arts and culture": ("a local history and arts festival", "display space and local history"),
    "Civic engagement": ("voter registration drives", "meeting rooms and candidate forums"),
    "Community development": ("a neighborhood revitalization plan", "community meeting space"),
    "Digital literacy": ("closing the digital divide", "hotspot lending and tech help"),
    "Early literacy": ("kindergarten readiness", "storytimes and 1,000 Books Before K"),
    "Education": ("raising graduation rates", "homework help and database access"),
    "Food security": ("summer meals for children", "summer meal sites at the branches"),
    "Health literacy": ("a chronic disease prevention campaign", "health information programs"),
    "Housing": ("eviction prevention", "legal-aid clinics and tenant rights workshops"),
    "Immigrant and refugee services": ("citizenship preparation", "ESL conversation circles"),
    "Mental health": ("reducing stigma around mental illness", "wellness collections"),
    "Older adults": ("reducing isolation among seniors", "homebound delivery and tech tutoring"),
    "Social services": ("connecting families to benefits", "navigator office hours"),
    "Wellness": ("a community walking challenge", "StoryWalks and fitness kits"),
    "Workforce development": ("a regional skills initiative", "job labs and online courses"),
    "Youth and teens": ("safe places after school", "teen spaces and summer reading"),
}

UNIT_0_COUNTY = "Tamarack"
UNIT_0_TOWNS = ("Cedar Bend", "Harlow Springs", "Port Alden", "Mill Creek")
PLACE_PREFIXES = (
    "Alder", "Ash", "Bay", "Birch", "Clear", "Crow", "Elk", "Fair", "Fern", "Fox", "Glen",
    "Gold", "Green", "Hazel", "High", "Iron", "Lake", "Lark", "Maple", "Oak", "Pine", "Red",
    "Rock", "Silver", "Stone", "Sun", "Thorn", "Willow", "Wolf", "Wren",
)  # fmt: skip
PLACE_SUFFIXES = (
    "brook", "bury", "crest", "dale", "field", "ford", "gate", "haven", "hurst", "land",
    "mont", "more", "port", "ridge", "stead", "ton", "vale", "view", "ville", "wood",
)  # fmt: skip
PLACE_MODIFIERS = ("", "North ", "South ", "East ", "West ", "New ", "Upper ", "Lower ")

FIRST_NAMES = (
    "Aaliyah", "Ahmed", "Alejandro", "Amara", "Ana", "Andre", "Anjali", "Ben", "Bich", "Carmen",
    "Chen", "Claire", "Darnell", "Deborah", "Diego", "Elena", "Emeka", "Farah", "Gloria",
    "Grace", "Hana", "Hector", "Imani", "Isaac", "Jamal", "Janet", "Jin", "Jose", "Kateri",
    "Keisha", "Kenji", "Laura", "Leila", "Linh", "Lucia", "Malik", "Maria", "Mei", "Michael",
    "Nadia", "Naveen", "Olga", "Omar", "Patricia", "Priya", "Rafael", "Ruth", "Samir", "Sarah",
    "Sione", "Tamika", "Thomas", "Tran", "Valentina", "Wei", "Yusuf", "Zainab", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Abernathy", "Adeyemi", "Begay", "Bergstrom", "Castillo", "Chavez", "Cho", "Coleman",
    "Dubois", "Eriksen", "Flores", "Fofanah", "Garcia", "Goldberg", "Gutierrez", "Haddad",
    "Harris", "Herrera", "Ibrahim", "Jackson", "Johnson", "Kaur", "Kowalski", "Lee", "Lopez",
    "MacLeod", "Mendoza", "Morales", "Nakamura", "Nguyen", "O'Brien", "Okafor", "Olsen",
    "Patel", "Petrov", "Quispe", "Ramirez", "Robinson", "Rossi", "Sanchez", "Schmidt", "Singh",
    "Sullivan", "Tanaka", "Thompson", "Torres", "Vasquez", "Walker", "Washington", "Yazzie",
    "Yilmaz", "Zhang",
)  # fmt: skip
STREETS = ("Main Street", "Oak Avenue", "River Road", "Church Street", "Harbor Way", "Mill Road",
           "Lincoln Boulevard", "College Avenue", "Depot Street", "Elm Court")  # fmt: skip
AREA_CODES = ("208", "360", "406", "503", "541")
CONTACT_NOTES = ("Prefers calls after 3 pm.", "Part-time; in the office Tuesdays and Thursdays.",
                 "Speaks Spanish and English; happy to co-host bilingual events.",
                 "Met at the county resource fair. Very interested in storytimes.",
                 "Send flyers as PDF, their office prints them for the lobby.",
                 "Retiring next year; ask who will take over the partnership.")  # fmt: skip
IDENTIFIED_NOTES = ("Suggested by a patron at the reference desk.",
                    "Came up at the county resource fair.",
                    "Listed in the community needs assessment.")  # fmt: skip
ACTIVE_NOTES = ("Signed a memorandum of understanding for shared programming.",
                "First joint program went well; agreed to meet every quarter.",
                "Agreed to host library card sign-ups at their site.")  # fmt: skip
DORMANT_NOTES = ("Our main contact left; nobody has picked up the partnership yet.",
                 "Grant funding for the joint program ended.",
                 "No reply since the spring; try again after their budget season.")  # fmt: skip
DECLINED_NOTES = ("No staff capacity this year; open to talking again next fiscal year.",
                  "Their board decided to focus on direct services only.",
                  "Already partnering with the school district's libraries on this.")  # fmt: skip
# One unit's mix of stages, one per template: every stage appears in every unit.
STAGE_MIX = {Stage.IDENTIFIED: 6, Stage.RESEARCHING: 6, Stage.CONTACTED: 7, Stage.IN_DISCUSSION: 6,
             Stage.ACTIVE: 9, Stage.DORMANT: 3, Stage.DECLINED: 3}  # fmt: skip
# Some people wear two hats: (their organization, their position in its contact list, the
# second organization, their role there). Position 1 is never primary nor ended, so both stay
# current.
SECOND_HATS = (
    ("{county} County Health Department", 1, "{town} Unified School District",
     "School board trustee"),  # the public health nurse
    ("{town} City Council", 1, "{town} Family Resource Center", "Board member"),
)  # fmt: skip
# People who changed jobs: same shape, the second organization being where they used to work.
PREVIOUS_JOBS = (("{town} YMCA", 1, "{town} Parks and Recreation Department",
                  "Recreation coordinator"),)  # fmt: skip
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
        user, _ = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.email = f"{demo.username}@library.example.org"
        user.is_active = True
        # Setting the same password again would still sign out everyone using the account.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        users.append(user)
    return users


def _stage_path(stage: str, rng: random.Random) -> list[str]:
    """A plausible walk through the pipeline that ends at `stage`."""
    pipeline = [Stage.IDENTIFIED, Stage.RESEARCHING, Stage.CONTACTED, Stage.IN_DISCUSSION]
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
    notes = {Stage.ACTIVE: ACTIVE_NOTES, Stage.DORMANT: DORMANT_NOTES}.get(to_stage)
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
        self.focus_links: list[models.Model] = []
        self.changes: list[StageChange] = []
        self.contacts: list[Contact] = []
        self.affiliations: list[Affiliation] = []
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
            for position in range(3 if index % 2 == 0 else 2):
                jobs[index, position] = self.person_at(organization, template, position)
        for name, position, other, title in SECOND_HATS:
            contact = jobs[TEMPLATE_INDEX[name], position].contact
            self.affiliate(contact, organizations[TEMPLATE_INDEX[other]], title)
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
        self.changes += _history(organization, self.staff, self.now, rng)
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
    # bulk_create sets primary keys on the objects (PostgreSQL, SQLite 3.35+), so the rows that
    # point at them go in next without looking anything up.
    Organization.objects.bulk_create(builder.organizations, batch_size=BATCH_SIZE)
    Organization.focus_areas.through.objects.bulk_create(builder.focus_links, batch_size=BATCH_SIZE)
    StageChange.objects.bulk_create(builder.changes, batch_size=BATCH_SIZE)
    Contact.objects.bulk_create(builder.contacts, batch_size=BATCH_SIZE)
    Affiliation.objects.bulk_create(builder.affiliations, batch_size=BATCH_SIZE)
    # auto_now_add stamped every partner "today"; it was really added when its history began.
    first_change = StageChange.objects.filter(organization=OuterRef("pk"), from_stage="")
    Organization.objects.filter(pk__in=[o.pk for o in builder.organizations]).update(
        created_at=Subquery(first_change.values("changed_at")[:1]),
        updated_at=F("stage_changed_at"),
    )
    return DemoCounts(
        organizations=len(builder.organizations),
        contacts=len(builder.contacts),
        affiliations=len(builder.affiliations),
        stage_changes=len(builder.changes),
    )
