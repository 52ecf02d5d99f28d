"""The signed-in person's own account: session limits, "log out everywhere",
two-factor sign-in (django-otp). Not county-owned: a person spans counties."""
