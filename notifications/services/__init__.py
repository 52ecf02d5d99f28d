"""Writes of notifications: the reminder sweep, e-mail delivery, reading and preferences."""
