"""Signed links in e-mails: they carry an id, never personal data, and expire."""

from django.core import signing

CONSENT_SALT = "polyfon.governance.candidate-consent"
CONSENT_MAX_AGE = 60 * 60 * 24 * 60  # 60 days


def consent_token(candidate) -> str:
    return signing.dumps({"c": candidate.pk}, salt=CONSENT_SALT)


def candidate_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_MAX_AGE)["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
