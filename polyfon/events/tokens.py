"""The personal link to a registration: a random secret, signed with the site's key.

The link carries neither the registration's id nor the e-mail address. The secret (32 random
bytes) makes it unguessable; the signature (django.core.signing, salted for this use) means a
link that was not made by the site is refused before the database is asked. Removing the
personal data of a registration clears its secret, and every link to it stops working.
"""

import secrets

from django.core import signing

SALT = "polyfon.events.registration"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def token_for(registration) -> str:
    return _signer().sign(registration.secret)


def secret_from_token(token: str) -> str | None:
    """The secret inside a token made by token_for, or None if the signature does not hold."""
    try:
        return _signer().unsign(token)
    except signing.BadSignature:
        return None
