"""The demo's annual reviews: last year's and this year's, so the report has figures at once."""

from django.utils import timezone

from demo.tests.helpers import seed
from reports.selectors import reviews_report
from reviews.models import PartnershipReview


def test_the_demo_has_reviews_over_two_years_and_partners_still_to_review(demo_mode):
    seed()
    year = timezone.localdate().year
    reviews = PartnershipReview.objects.all()
    assert reviews.filter(year=year - 1).count() == 6
    assert reviews.filter(year=year).count() == 3
    assert reviews.filter(partner_satisfaction__isnull=True).exists()
    coverage = next(t for t in reviews_report(year=year, limit=25).tables if t.key == "coverage")
    reviewed, pending = coverage.rows[1][1], coverage.rows[2][1]
    assert reviewed == 3 and isinstance(pending, int) and pending > 0
