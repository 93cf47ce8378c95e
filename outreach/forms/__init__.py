"""Outreach forms, one module per area. Forms validate; outreach.services writes."""
