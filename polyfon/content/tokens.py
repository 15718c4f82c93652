"""Signed links for the newsletter: confirming a subscription and unsubscribing.

A token carries the subscriber's id and a short hash of the address, signed with the secret
key (django.core.signing), so it is unguessable, names nobody, and stops working if the row
is deleted or its address changes. Confirmation links expire; unsubscribe links do not, so
an old issue can always be unsubscribed from.
"""

import hashlib
from datetime import timedelta

from django.core import signing

from .models import Subscriber

CONFIRM_SALT = "polyfon.content.newsletter.confirm"
UNSUBSCRIBE_SALT = "polyfon.content.newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


class TokenExpired(Exception):
    """The link was genuine but is too old."""


def _address_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:10]


def _make(subscriber: Subscriber, salt: str) -> str:
    return signing.dumps([subscriber.pk, _address_hash(subscriber.email)], salt=salt, compress=True)


def confirm_token(subscriber: Subscriber) -> str:
    return _make(subscriber, CONFIRM_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return _make(subscriber, UNSUBSCRIBE_SALT)


def _load(token: str, salt: str, max_age=None) -> Subscriber | None:
    try:
        pk, address_hash = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or _address_hash(subscriber.email) != address_hash:
        return None
    return subscriber


def subscriber_from_confirm_token(token: str) -> Subscriber | None:
    """The subscriber the link was made for, None if it is not genuine; TokenExpired if too old."""
    return _load(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    return _load(token, UNSUBSCRIBE_SALT)
