"""Annual partnership reviews across the portfolio, for one year: which partners were reviewed
and which not yet, how satisfied they say they are, and what worked and what they aim for next.

Four queries, whatever the number of partners or reviews: the partners to review counted (with
how many were reviewed), those not reviewed yet (a page's worth on the page, every one in the
CSV), the reviews counted by satisfaction, and the reviews with their words (likewise).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window

from core.people import display_name
from partners.models import Organization, Stage
from reports.selectors.common import Cell, Chart, Link, Placeholder, Report, Table, percent
from reviews.models import NOT_ASKED, PartnershipReview, Satisfaction

# The partners a year's review is expected of: those the library works with now.
TO_REVIEW = (Stage.ACTIVE, Stage.IN_DISCUSSION)
# A long answer is cut to this many characters on the page; the CSV holds it whole.
EXCERPT = 160


def _definitions(year: int) -> list[str]:
    return [
        f"Partners to review: organizations (not archived) at the stage “Active partner” or "
        f"“In discussion” today; reviewed when they have a {year} review.",
        f"The satisfaction, average and reviews count every {year} review, including those of "
        "partners at another stage today; the average is of the reviews where the partner "
        "was asked (1 very dissatisfied to 5 very satisfied).",
        "Answers are cut short on the page; the CSV holds them in full.",
    ]


def excerpt(text: str, limit: int | None) -> Cell:
    """The answer, cut at a word near `limit` characters on the page (None: in full)."""
    if not text.strip():
        return None
    if limit is None:
        return text.strip()
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    cut = text[:EXCERPT].rsplit(" ", 1)[0]
    return f"{cut}…"


def average(counts: dict[int, int]) -> Decimal | None:
    """The mean score, to two decimals (3.67), of the reviews that have one."""
    asked = sum(counts.values())
    if not asked:
        return None
    mean = Decimal(sum(score * n for score, n in counts.items())) / asked
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _listed(found: QuerySet, limit: int | None) -> tuple[list, int]:
    """All the rows, or the first `limit` and how many there are in all (one query)."""
    if limit is None:
        every = list(found)
        return every, len(every)
    first = list(found.annotate(total=Window(Count("pk")))[:limit])
    return first, first[0].total if first else 0


def _satisfaction_table(counts: dict[int | None, int]) -> Table:
    asked = {score: n for score, n in counts.items() if score is not None}
    asked_total = sum(asked.values())
    rows: list[list[Cell]] = [
        [f"{value} – {label}", asked.get(value, 0), percent(asked.get(value, 0), asked_total)]
        for value, label in reversed(Satisfaction.choices)
    ]
    rows.append([NOT_ASKED, counts.get(None, 0), None])
    return Table(
        key="satisfaction",
        title="The partners' satisfaction",
        columns=["Satisfaction", "Reviews", "Share of those asked (%)"],
        rows=rows,
        footer=["All reviews", sum(counts.values()), None],
        empty="No reviews for this year yet.",
    )


def _coverage_table(year: int, total: int, reviewed: int, mean: Decimal | None) -> Table:
    return Table(
        key="coverage",
        title=f"Partners reviewed for {year}",
        columns=["", "Partners"],
        rows=[
            ["Active and in-discussion partners", total],
            [f"Reviewed for {year}", reviewed],
            ["Not reviewed yet", total - reviewed],
            ["Reviewed (%)", percent(reviewed, total)],
            ["Average satisfaction (of 5, those asked)", mean],
        ],
    )


def _not_reviewed_table(pending: QuerySet[Organization], year: int, limit: int | None) -> Table:
    organizations, total = _listed(pending.select_related("owner").order_by("name", "pk"), limit)
    return Table(
        key="not-reviewed",
        title=f"Not reviewed yet for {year}",
        columns=["Partner", "Stage", "Owner"],
        rows=[
            [
                Link(o.name, o.get_absolute_url()),
                o.get_stage_display(),
                display_name(o.owner) or Placeholder("Nobody"),
            ]
            for o in organizations
        ],
        empty=f"Every active and in-discussion partner has its {year} review.",
        total=total if limit is not None else None,
        shown="A to Z",
    )


def _reviews_table(reviews: QuerySet[PartnershipReview], year: int, limit: int | None) -> Table:
    found, total = _listed(
        reviews.select_related("organization").order_by("organization__name", "pk"), limit
    )
    return Table(
        key="reviews",
        title="What worked, what did not, and next year's goals",
        columns=[
            "Review",
            "Satisfaction",
            "What worked",
            "What did not work",
            "In the partner's words",
            "Goals for next year",
        ],
        rows=[
            [
                Link(r.organization.name, r.get_absolute_url()),
                r.partner_satisfaction,
                excerpt(r.what_worked, limit),
                excerpt(r.what_did_not, limit),
                excerpt(r.partner_words, limit),
                excerpt(r.goals_next_year, limit),
            ]
            for r in found
        ],
        empty=f"No reviews for {year} yet.",
        total=total if limit is not None else None,
        shown="by partner, A to Z",
    )


def reviews_report(*, year: int, limit: int | None = None) -> Report:
    """The year's reviews; the lists in full, or their first `limit` rows."""
    reviews = PartnershipReview.objects.filter(year=year, is_archived=False)
    has_review = Exists(reviews.filter(organization=OuterRef("pk")))
    partners = Organization.objects.active().filter(stage__in=TO_REVIEW).order_by()
    tally = partners.aggregate(total=Count("pk"), reviewed=Count("pk", filter=Q(has_review)))
    counts: dict[int | None, int] = dict(
        reviews.order_by()
        .values("partner_satisfaction")
        .annotate(n=Count("pk"))
        .values_list("partner_satisfaction", "n")
    )
    mean = average({score: n for score, n in counts.items() if score is not None})
    satisfaction = _satisfaction_table(counts)
    bars = [(str(row[0]), row[1]) for row in satisfaction.rows if isinstance(row[1], int)]
    return Report(
        slug="reviews",
        title="Annual partnership reviews",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        period_label=str(year),
        chart=Chart(
            title=f"{year} reviews by the partner's satisfaction",
            points=bars,
        ),
        tables=[
            satisfaction,
            _coverage_table(year, tally["total"], tally["reviewed"], mean),
            _not_reviewed_table(partners.filter(~Q(has_review)), year, limit),
            _reviews_table(reviews, year, limit),
        ],
        definitions=_definitions(year),
    )
