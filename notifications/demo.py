"""Demo reminders: this morning's sweep, run once for today, so `make run` shows them.

The meetings demo dates its action items relative to today (one overdue, one due in
5 days, one in 12 whose owner has no account): the owners — or, for the one without
an account, Samburu's secretariat — find them under the bell, and the Celery worker
prints the e-mails on the console. Runs last: the sweep reads every provider's items.
"""

from django.utils import timezone

from notifications.services.reminders import reminders_sweep


def seed(demo) -> None:
    reminders_sweep(today=timezone.localdate())
