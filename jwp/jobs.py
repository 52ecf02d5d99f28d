"""Enqueueing Celery tasks after commit, without losing work if the broker is down.

The database row (an invitation, a generated document) is the job's source of
truth; the broker message is only a nudge. If the broker is unreachable the
request still succeeds and a periodic sweeper re-enqueues what is pending.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _send(task, kwargs: dict) -> bool:
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("Broker unavailable, %s left for the sweeper: %s", task.name, exc)
        return False
    return True


def enqueue_on_commit(task, **kwargs) -> None:
    transaction.on_commit(lambda: _send(task, kwargs))
