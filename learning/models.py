"""Learning, visits and evaluations."""
