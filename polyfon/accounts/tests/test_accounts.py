import pytest
from django.urls import reverse

from polyfon.accounts import roles
from polyfon.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_by_email_lands_coordinator_in_the_office(client, coordinator):
    response = login(client, "KOORDINATOR@example.no", PASSWORD)
    assert response.status_code == 302
    assert client.get(response["Location"]).url == reverse("members:office_dashboard")


def test_repeated_failed_logins_are_locked(client, registered_user):
    for _ in range(5):
        assert login(client, registered_user.email, "wrong-password").status_code == 200
    # The right password is refused too until the window has passed.
    response = login(client, registered_user.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_staff_mfa_is_required_for_the_office_when_turned_on(client, coordinator, settings):
    settings.REQUIRE_STAFF_MFA = True
    client.force_login(coordinator)
    response = client.get(reverse("members:office_dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Pages outside the office stay open, so the coordinator can set up two-factor (after
    # confirming the password, as allauth asks before security changes).
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200 or setup["Location"].startswith("/konto/reauthenticate/")
    # Nor do a coordinator's powers elsewhere open without it: documents, participants' pages.
    for url in ["/dokumenter/fakturaer/1/pdf/", "/min-side/", "/"]:
        assert client.get(url)["Location"] == reverse("mfa_activate_totp"), url


def test_staff_with_totp_passes(client, coordinator, settings):
    from allauth.mfa.models import Authenticator

    settings.REQUIRE_STAFF_MFA = True
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(coordinator)
    assert client.get(reverse("members:office_dashboard")).status_code == 200


def test_password_reset_mail_is_sent_through_the_worker(client, registered_user, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": registered_user.email})
    assert len(mail.outbox) == 1
    assert "/konto/password/reset/key/" in mail.outbox[0].body


def test_roles(coordinator, contact_user, steering_user, registered_user, member):
    assert roles.is_coordinator(coordinator) and not roles.is_coordinator(contact_user)
    assert roles.is_steering_member(steering_user) and not roles.is_steering_member(contact_user)
    assert roles.contact_participant_ids(contact_user) == {member.pk}
    assert not roles.is_participant_contact(registered_user)


def test_confirmed_email_links_the_login_to_its_person(client, db, django_capture_on_commit_callbacks):
    from django.core import mail

    from polyfon.members.tests.factories import PersonFactory

    person = PersonFactory(email="ny@example.no")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {"email": "ny@example.no", "password1": PASSWORD, "password2": PASSWORD})
    person.refresh_from_db()
    assert person.user is None  # not before the address is confirmed
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/konto/confirm-email/" in line).strip()
    client.post(link[link.index("/konto/"):])
    person.refresh_from_db()
    assert person.user is not None and person.user.email == "ny@example.no"
