"""Shared pieces of the demo data: the logins and a generator of valid organisation numbers."""

from dataclasses import dataclass, field

DEMO_PASSWORD = "demo-passord-2026"
DEMO_USERS = [
    ("Coordinator", "koordinator@polyfon.test"),
    ("Steering-group member", "styre@polyfon.test"),
    ("Participant contact", "kontakt@polyfon.test"),
    ("Registered user", "bruker@polyfon.test"),
]


@dataclass
class DemoContext:
    """What one app's demo data hands to the next (users, participants, ...)."""

    objects: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]

    def __setitem__(self, key, value):
        self.objects[key] = value


def demo_logins() -> dict:
    return {"password": DEMO_PASSWORD, "users": DEMO_USERS}


def is_loaded() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email=DEMO_USERS[0][1]).exists()


def org_number(seed: int) -> str:
    """A valid (MOD11) 9-digit organisation number made from `seed`, starting with 9."""
    weights = [3, 2, 7, 6, 5, 4, 3, 2]
    base = 91_000_000 + seed * 7
    while True:
        digits = [int(d) for d in f"{base:08d}"]
        remainder = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return f"{base:08d}{check}"
        base += 1
