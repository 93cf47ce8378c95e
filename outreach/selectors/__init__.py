"""Outreach reads, one module per page area; each page's queries are covered by a count test."""
