"""Notification endpoints that keep the live cluster data models up to date."""
