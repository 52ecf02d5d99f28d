"""HTML pages of the learning area: thin; rules live in learning.services."""
