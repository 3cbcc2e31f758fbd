"""Alerts: the outbox, message formatting, and delivery through apprise."""
