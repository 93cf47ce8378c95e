"""Annual partnership reviews: last year's for most active partners and this year's for a few,
so the partner pages and the annual reviews report have something to show (and some partners
still to review this year)."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from partners.models import Organization, Stage
from reviews.models import PartnershipReview
from reviews.services import review_save

# (what worked, what did not, satisfaction, the partner's words, goals for next year)
ANSWERS = [
    (
        "The monthly health literacy workshops drew a steady crowd; their nurses answered "
        "questions the library could not.",
        "Flyers went out late twice; the Saturday sessions were thin.",
        5,
        "“Our patients ask for the library sessions by name now.”",
        "Add a Spanish-language series; share attendance each quarter.",
    ),
    (
        "Joint summer reading outreach at the school reached families we had never met.",
        "Booking rooms through two offices slowed everything down.",
        4,
        "“A good year. We would like one contact person at the library.”",
        "One booking calendar; a named contact on each side.",
    ),
    (
        "The resource fair was well attended.",
        "Too few follow-up meetings after the fair; the partner felt out of the loop.",
        3,
        "“We liked the fair, but heard little from you afterwards.”",
        "Meet every quarter; send a short update after each event.",
    ),
    (
        "Tax help nights filled every seat.",
        "Volunteers were hard to schedule in the spring.",
        4,
        "",
        "Recruit volunteers in January; two more nights in March.",
    ),
    (
        "Co-hosted job search clinics; their staff brought laptops.",
        "Their funding changed mid-year and the clinics stopped for two months.",
        2,
        "“The clinics matter, but our grant did not cover the summer.”",
        "Apply together for a grant that covers a full year of clinics.",
    ),
    (
        "Story times at the community center brought new library card sign-ups.",
        "",
        None,
        "",
        "Keep the monthly story time; try an evening session.",
    ),
]


def demo_reviews_load(*, staff: list[User]) -> int:
    """Last year's reviews of the first six active partners, this year's of three of them."""
    today = timezone.localdate()
    partners = list(Organization.objects.filter(stage=Stage.ACTIVE).order_by("pk")[:6])
    made = 0
    for year, how_many in ((today.year - 1, len(partners)), (today.year, 3)):
        reviewed_on = min(dt.date(year, 12, 1), today - dt.timedelta(days=7))
        reviewed_on = max(reviewed_on, dt.date(year, 1, 1))
        for n, organization in enumerate(partners[:how_many]):
            worked, did_not, score, words, goals = ANSWERS[(n + year) % len(ANSWERS)]
            review = PartnershipReview(
                organization=organization,
                year=year,
                reviewed_on=reviewed_on,
                what_worked=worked,
                what_did_not=did_not,
                partner_satisfaction=score,
                partner_words=words,
                goals_next_year=goals,
            )
            review_save(review=review, by=staff[n % len(staff)])
            made += 1
    return made
