"""Telling staff, by e-mail and chat, when an integration's verdict on the integrations page
changes: one notice per change, one when it recovers, a daily digest for those who want one.

It reads what the integrations page reads (`integrations.health`), so both always agree, and
names no integration.
"""
