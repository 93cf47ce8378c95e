"""A fixed set of partners, people and notes: the search's relevance is tested against it."""

import datetime as dt

import pytest

from outreach.services import touchpoint_log
from partners.models import Organization
from partners.services import contact_create, organization_create

GOV, HEALTH, NONPROFIT, SCHOOL, BUSINESS = (
    Organization.Kind.GOVERNMENT,
    Organization.Kind.HEALTH,
    Organization.Kind.NONPROFIT,
    Organization.Kind.SCHOOL,
    Organization.Kind.BUSINESS,
)
ORGANIZATIONS = [
    # name, kind, services, populations served, initiatives / mission / common ground
    (
        "Tamarack County Health Department",
        GOV,
        "Immunization clinics, WIC, disease investigation.",
        "Every county resident.",
        "Prevent disease and promote health for every resident.",
    ),
    (
        "St. Luke's Port Alden Hospital",
        HEALTH,
        "Hospital care, emergency room, diabetes education.",
        "Patients of the region.",
        "A community health needs assessment every three years.",
    ),
    (
        "Harlow Springs Community Clinic",
        HEALTH,
        "Primary care, diabetes classes, dental care.",
        "Uninsured and low-income families.",
        "Health information programs with the library.",
    ),
    (
        "Clínica La Esperanza",
        HEALTH,
        "Atención primaria, prenatal care.",
        "Spanish-speaking families.",
        "Bilingual health fairs.",
    ),
    (
        "Mill Creek Food Pantry",
        NONPROFIT,
        "Groceries twice a week.",
        "Families in need.",
        "No one in Mill Creek goes hungry.",
    ),
    (
        "Grace Church Outreach",
        NONPROFIT,
        "Free community meals and a food pantry on Saturdays.",
        "Neighbors of the church.",
        "Serve the neighborhood.",
    ),
    (
        "Mill Creek Adult School",
        SCHOOL,
        "ESL and English classes, GED preparation.",
        "Adult learners.",
        "Every adult a reader.",
    ),
    (
        "Cedar Bend Youth League",
        NONPROFIT,
        "Sports classes in English and Spanish.",
        "Children and teens.",
        "Play for every child.",
    ),
    (
        "Mill Creek Center for New Americans",
        NONPROFIT,
        "Citizenship help, legal clinics.",
        "Immigrants and refugees.",
        "Welcome new neighbors.",
    ),
    (
        "Port Alden Rotary Club",
        BUSINESS,
        "Service projects, scholarships.",
        "Local businesses.",
        "Works with immigrants and refugees on job fairs.",
    ),
    (
        "Tamarack Broadband Cooperative",
        BUSINESS,
        "Home internet, low-cost plans.",
        "Rural households.",
        "Close the digital divide.",
    ),
    (
        "Cedar Bend Digital Equity Coalition",
        NONPROFIT,
        "Device lending, digital skills classes.",
        "Residents without internet.",
        "Advocates for broadband in every home.",
    ),
    (
        "Port Alden Senior Center",
        NONPROFIT,
        "Hot meals for seniors, exercise classes.",
        "Seniors over 60.",
        "Healthy aging.",
    ),
    (
        "Cedar Bend City Council",
        GOV,
        "Budget, ordinances, parks.",
        "City residents.",
        "Public meetings twice a month.",
    ),
    (
        "Cedar Bend Youth Advisory Board",
        GOV,
        "Advice to the city.",
        "Teens.",
        "Reports to the city council each spring.",
    ),
]


@pytest.fixture
def partners(db):
    """The organizations by name, and a few people and touchpoints at them."""
    made = {}
    for name, kind, services, populations, rest in ORGANIZATIONS:
        made[name] = organization_create(
            by=None,
            name=name,
            kind=kind,
            services=services,
            populations_served=populations,
            common_ground=rest,
        )
    contact_create(
        organization=made["Harlow Springs Community Clinic"],
        title="Diabetes educator",
        name="Rosa Díaz",
        email="rdiaz@harlowclinic.example.org",
    )
    contact_create(
        organization=made["Tamarack County Health Department"],
        title="School nurse coordinator",
        name="Marcus Lee",
        email="marcus.lee@tchd.example.org",
    )
    for day in range(1, 6):
        touchpoint_log(
            organization=made["Cedar Bend City Council"],
            staff=None,
            occurred_on=dt.date(2026, 3, day),
            subject=f"Partnership call {day}",
            notes="Went through the MOU draft line by line.",
        )
    touchpoint_log(
        organization=made["Mill Creek Food Pantry"],
        staff=None,
        occurred_on=dt.date(2026, 3, 9),
        subject="Mountain bike donation",
        notes="Nothing about agreements here.",
    )
    return made
