from django_tasks import task

from . import services


@task()
def end_expired_memberships() -> int:
    """Daily: participants whose notice period has run out become former participants."""
    return len(services.end_expired_memberships())
