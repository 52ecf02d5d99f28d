"""Joint work plans: models arrive with their issue."""
