"""Background work of governance: e-mails to voters and members, closing polls, the register's roles."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from polyfon.core.dates import local_today
from polyfon.core.email import send_templated_email

from . import services
from .models import REPRESENTATIVE_ROLES, Meeting, MeetingStatus, Poll, PollStatus, Seat, SeatRole


def poll_recipients(poll: Poll) -> list:
    """Who can cast a vote in `poll`: the representatives and deputies of the participants with a
    vote, or the voting seat holders (each person once)."""
    voters = poll.voters.all()
    if poll.by_participant:
        seats = Seat.objects.current(poll.meeting.local_date).filter(
            body_id=poll.meeting.body_id,
            participant_id__in=voters.values("participant_id"),
            role__in=[*REPRESENTATIVE_ROLES, SeatRole.DEPUTY_MEMBER],
        )
        people = {seat.person_id: seat.person for seat in seats.select_related("person")}
    else:
        people = {v.person_id: v.person for v in voters.select_related("person")}
    return sorted(people.values(), key=lambda p: p.name)


@task()
def notify_poll_opened(poll_id: int) -> int:
    """Tell everyone who can vote that the ballot is open, with the link to it."""
    poll = Poll.objects.select_related("meeting__body", "election", "motion").get(pk=poll_id)
    if poll.status != PollStatus.OPEN:
        return 0
    url = settings.SITE_URL + reverse("governance:mine_vote", args=[poll.pk])
    sent = 0
    for person in poll_recipients(poll):
        if person.email:
            send_templated_email(
                to=person.email,
                template="governance/email/poll_opened",
                context={"poll": poll, "subject": poll.subject, "person": person, "url": url},
                language=person.language,
            )
            sent += 1
    return sent


@task()
def send_meeting_reminders() -> int:
    """Daily: remind those invited two days before the meeting."""
    day = local_today() + timedelta(days=2)
    sent = 0
    for meeting in Meeting.objects.filter(status=MeetingStatus.INVITED, starts_at__date=day).select_related("body"):
        for person in services.meeting_invitees(meeting):
            if person.email:
                send_templated_email(
                    to=person.email,
                    template="governance/email/reminder",
                    context={
                        "meeting": meeting,
                        "person": person,
                        "papers_url": settings.SITE_URL + reverse("governance:mine_meeting", args=[meeting.pk]),
                    },
                    language=person.language,
                )
                sent += 1
    return sent


@task()
def close_due_polls() -> int:
    """Every five minutes: ballots whose closing time has passed are counted (no vote gets in after
    the closing time in any case: casting checks it)."""
    return len(services.close_due_polls())


@task()
def sync_steering_roles() -> int:
    """Daily: the register's steering-group roles follow seats that started or ended."""
    return len(services.sync_register_roles())
