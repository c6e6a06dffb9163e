"""The hospital project; loading it loads the Celery app so `shared_task`s bind to it."""

from hospital.celery import app as celery_app

__all__ = ("celery_app",)
