"""The reports for managers and admins, each built from a few grouped queries."""

from reports.selectors.activity import activity_report
from reports.selectors.common import Chart, Report, Table
from reports.selectors.health import health_report
from reports.selectors.pipeline import pipeline_report
from reports.selectors.portfolio import portfolio_report
from reports.selectors.programs import programs_report
from reports.selectors.retention import retention_report
from reports.selectors.reviews import reviews_report

__all__ = [
    "Chart",
    "Report",
    "Table",
    "activity_report",
    "health_report",
    "pipeline_report",
    "portfolio_report",
    "programs_report",
    "retention_report",
    "reviews_report",
]
