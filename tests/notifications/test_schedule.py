"""Celery beat runs the sweep at 06:00 Nairobi time and the e-mail sweeper every few minutes."""

from celery.schedules import crontab

from jwp.celery import app
from notifications import tasks


def test_beat_sweeps_the_reminders_daily_at_six_in_nairobi():
    entry = app.conf.beat_schedule["sweep-reminders"]
    assert entry["task"] == tasks.sweep_reminders.name
    assert entry["schedule"] == crontab(hour=6, minute=0)
    assert app.conf.timezone == "Africa/Nairobi"


def test_beat_re_enqueues_waiting_e_mails_every_five_minutes():
    entry = app.conf.beat_schedule["resend-pending-emails"]
    assert entry["task"] == tasks.resend_pending_emails.name
    assert entry["schedule"] == crontab(minute="*/5")


def test_e_mail_tasks_survive_a_worker_crash_and_retry_with_backoff():
    task = tasks.send_email_delivery
    assert task.acks_late and task.max_retries == 5
    assert task.retry_backoff and task.retry_jitter
    assert set(task.autoretry_for) >= {OSError}
