"""Outreach pages, one module per area: touchpoints, meetings, follow-ups, dashboard."""
