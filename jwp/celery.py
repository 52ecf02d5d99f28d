"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jwp.settings")

app = Celery("jwp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Job rows are the source of truth: anything left unsent (broker down at
    # the time) is picked up again.
    "resend-unsent-invitations": {
        "task": "counties.tasks.resend_unsent_invitations",
        "schedule": crontab(minute="*/10"),
    },
    # Adaptive management: detect the triggers of every signed plan under implementation,
    # daily at 05:30 Africa/Nairobi (idempotent: one item per cause and period).
    "detect-adaptation-triggers": {
        "task": "progress.tasks.detect_triggers_for_open_plans",
        "schedule": crontab(hour=5, minute=30),
    },
    # Generated documents: queued jobs the broker lost, running jobs whose worker died.
    "sweep-document-jobs": {
        "task": "documents.tasks.sweep_document_jobs",
        "schedule": crontab(minute="*/2"),
    },
    # Deadline reminders (14/7/1 days, overdue, escalation), daily at 06:00 in
    # CELERY_TIMEZONE (Africa/Nairobi); at most once per item, threshold and person.
    "sweep-reminders": {
        "task": "notifications.tasks.sweep_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # Reminder e-mails whose broker message was lost (broker down) are sent again.
    "resend-pending-emails": {
        "task": "notifications.tasks.resend_pending_emails",
        "schedule": crontab(minute="*/5"),
    },
}
