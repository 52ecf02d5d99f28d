"""Monitoring, evaluation and learning: models arrive with their issue."""
