"""seed_demo's past year: on the first run, last quarter's impact pages, the reports and the
partner progress updates have real figures, and a year of updates has already gone out."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from core.periods import local_bounds, months, quick_periods
from demo.tests.helpers import seed
from mail.models import OutgoingEmail
from partners.models import Organization, Stage, StageChange
from programs.models import Program, ProgramSession
from programs.selectors.impact import impact_summary
from reports.selectors import activity_report, pipeline_report, portfolio_report, programs_report
from updates.emails import period_summary, progress_email_key_prefix, progress_email_render
from updates.models import ProgressSubscription, ProgressUpdate
from updates.selectors import current_recipients
from updates.services import (
    last_ended_period,
    progress_subscription_create,
    progress_update_draft,
    progress_updates_draft_due,
)

Cadence, Sent = ProgressSubscription.Cadence, ProgressUpdate.Status.SENT
NOTHING_RAN = "No joint programs ran in this period."


def last_quarter() -> tuple[dt.date, dt.date]:
    return last_ended_period(Cadence.QUARTERLY, timezone.localdate())


def reviewed_partner() -> Organization:
    """The active partner the demo librarian sends monthly updates to."""
    organization = ProgressSubscription.objects.get(cadence=Cadence.MONTHLY).organization
    assert organization is not None and organization.stage == Stage.ACTIVE
    return organization


def test_last_quarter_had_sessions_with_head_counts_and_a_series_that_ended(debug):
    seed()

    start, end = last_quarter()
    held = ProgramSession.objects.filter(starts_at__range=local_bounds(start, end))
    assert held.filter(attendance__gt=0).count() >= 3
    assert not held.filter(attendance__isnull=True)
    ended = Program.objects.filter(status=Program.Status.COMPLETED, end_date__range=(start, end))
    assert ended.filter(sessions__isnull=False).exists()
    assert ended.filter(outcomes__isnull=False).exists()


def test_every_month_of_the_past_year_had_sessions_with_head_counts(debug):
    seed()

    today = timezone.localdate()
    starts = ProgramSession.objects.filter(starts_at__lt=timezone.now(), attendance__gt=0)
    held_in = {
        timezone.localtime(moment).date().replace(day=1)
        for moment in starts.values_list("starts_at", flat=True)
    }
    # Every whole month since the place's monthly program began, about a year ago.
    after_it_began = (today - dt.timedelta(days=330)).replace(day=1) + dt.timedelta(days=31)
    year = months(after_it_began, last_ended_period(Cadence.MONTHLY, today)[0])
    assert len(year) >= 10
    assert set(year) <= held_in


def test_last_quarters_impact_page_shows_an_active_partners_figures(debug, client):
    seed()
    organization = reviewed_partner()
    start, end = last_quarter()
    client.force_login(User.objects.get(username="librarian"))

    response = client.get(
        reverse("programs:impact_summary"),
        {"organization": organization.pk, "start": start.isoformat(), "end": end.isoformat()},
    )

    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.programs and summary.sessions > 0 and summary.attendance > 0
    assert sum(people for _month, people in summary.attendance_over_time) == summary.attendance
    assert "was not a partner in any program" not in response.content.decode()


def test_a_new_update_on_last_quarter_for_an_active_partner_has_figures(debug):
    seed()
    organization = reviewed_partner()
    start, end = last_quarter()
    subscription = progress_subscription_create(
        by=None,
        owner=User.objects.get(username="manager"),
        cadence=Cadence.QUARTERLY,
        mode=ProgressSubscription.Mode.REVIEW,
        recipients=current_recipients(ProgressSubscription.objects.get(organization=organization)),
        organization=organization,
    )

    update = progress_update_draft(subscription=subscription, period_start=start, period_end=end)

    assert update is not None
    summary = period_summary(update)
    assert summary.sessions > 0 and summary.attendance > 0
    contact = current_recipients(subscription)[0]
    email, _link = progress_email_render(update=update, contact=contact, summary=summary)
    assert NOTHING_RAN not in email.body_text
    assert f"{summary.attendance:,}" in email.body_text


def test_a_year_of_progress_updates_went_out_and_last_months_waits_for_review(debug):
    seed()

    sent = ProgressUpdate.objects.filter(status=Sent).select_related("subscription")
    assert sent.count() >= 8
    periods = sorted(sent.values_list("period_start", flat=True))
    assert periods[-1] - periods[0] > dt.timedelta(days=183)
    assert ProgressUpdate.objects.filter(status=ProgressUpdate.Status.SKIPPED).count() == 1
    waiting = ProgressUpdate.objects.get(status=ProgressUpdate.Status.DRAFT)
    assert waiting.period_start == last_ended_period(Cadence.MONTHLY, timezone.localdate())[0]
    assert NOTHING_RAN not in _email_of(waiting)
    now = timezone.now()
    for update in sent:
        assert update.sent_at is not None and update.created_at <= update.sent_at < now
        assert update.sent_at.date() > update.period_end
        emails = OutgoingEmail.objects.filter(
            idempotency_key__startswith=progress_email_key_prefix(update)
        )
        assert emails.filter(status=OutgoingEmail.Status.SENT).count() == update.recipients_count
        assert update.recipients_count > 0
        assert not emails.exclude(sent_at=update.sent_at).filter(status=OutgoingEmail.Status.SENT)
        assert NOTHING_RAN not in emails.first().body_text  # type: ignore[union-attr]
    automatic = sent.filter(subscription__mode=ProgressSubscription.Mode.AUTO)
    assert automatic and not automatic.filter(approved_by__isnull=False)
    assert not sent.exclude(subscription__mode=ProgressSubscription.Mode.AUTO).filter(
        approved_by__isnull=True
    )


def test_the_first_run_sends_no_email_and_has_no_update_due(debug):
    seed()

    assert not OutgoingEmail.objects.exclude(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.SUPPRESSED]
    )
    assert progress_updates_draft_due() == []


def test_stage_moves_reach_back_more_than_six_months_and_into_last_quarter(debug):
    seed()

    moves = StageChange.objects.exclude(from_stage="")
    now, (start, end) = timezone.now(), last_quarter()
    assert moves.filter(changed_at__lt=now - dt.timedelta(days=183)).exists()
    assert moves.filter(changed_at__range=local_bounds(start, end)).exists()
    assert moves.filter(to_stage=Stage.ACTIVE, changed_at__lt=now - dt.timedelta(days=183))


def test_the_reports_of_the_last_12_months_have_figures_all_year(debug):
    seed()

    today = timezone.localdate()
    _label, start, end = next(p for p in quick_periods(today) if p[0] == "Last 12 months")
    attendance = programs_report(start=start, end=end).chart.points
    assert len(attendance) >= 4 and all(people > 0 for _quarter, people in attendance)
    touchpoints = activity_report(start=start, end=end).chart.points
    assert len(touchpoints) == 12 and sum(n > 0 for _month, n in touchpoints) >= 11
    assert sum(n for _stage, n in pipeline_report(start=start, end=end).chart.points) > 0
    kinds = portfolio_report(start=start, end=end, today=today).tables[0]
    assert kinds.columns[3] == "Added in the period" and kinds.footer[3]


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 1, 2, 15, tzinfo=dt.UTC),  # the holidays just over
        dt.datetime(2027, 4, 1, 14, tzinfo=dt.UTC),  # the first day of a quarter
        dt.datetime(2027, 7, 6, 15, tzinfo=dt.UTC),  # just after Independence Day
        dt.datetime(2027, 9, 30, 21, tzinfo=dt.UTC),  # the last day of a quarter
    ],
)
def test_any_day_gets_a_past_year_with_figures(debug, moment):
    with time_machine.travel(moment, tick=False):
        seed()
        today = timezone.localdate()
        start, end = last_quarter()
        summary = impact_summary(organization=reviewed_partner(), start=start, end=end)
        assert summary.sessions > 0 and summary.attendance > 0
        held = ProgramSession.objects.filter(starts_at__lt=timezone.now(), attendance__gt=0)
        months_held = {timezone.localtime(t).date().replace(day=1) for t in held.values_list(
            "starts_at", flat=True
        )}  # fmt: skip
        year = months(today - dt.timedelta(days=300), today - dt.timedelta(days=today.day))
        assert set(year) <= months_held
        assert ProgressUpdate.objects.filter(status=Sent).count() >= 8
        assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT)
        assert progress_updates_draft_due() == []


def _email_of(update: ProgressUpdate) -> str:
    contact = current_recipients(update.subscription)[0]
    email, _link = progress_email_render(
        update=update, contact=contact, summary=period_summary(update)
    )
    return email.body_text
