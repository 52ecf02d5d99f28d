"""Sector plans: models arrive with their issue."""
