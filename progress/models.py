"""Progress, reports and adaptive management."""
