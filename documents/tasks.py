"""Celery tasks of documents: thin — ids in, the service does the work."""

from celery import shared_task

from documents import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=300,
    time_limit=330,
)
def render_document(self, *, job_id: int, county_id: int) -> str:
    """Generate one document's PDF (idempotent: a done job is never rendered again)."""
    return services.job_run(job_id=job_id, county_id=county_id)


@shared_task
def sweep_document_jobs() -> int:
    """Beat: send again the jobs a broker outage or a dead worker left behind."""
    return services.sweep()
