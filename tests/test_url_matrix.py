"""Every URL of the site, for every role: the expected answer (200, 302 to login, 403, 404, 405).

The matrix is the union of the apps' `tests/url_matrix.py` and the rows below; it must name
every URL pattern of the project, so a new view fails this test until its row says who may see
it. Object URLs are filled with the objects of the `world` fixture.
"""

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polyfon.core.testing import COORDINATORS, LOGGED_IN, PUBLIC, ROLES

pytestmark = pytest.mark.django_db

BASE_MATRIX = {
    "core:home": ({}, PUBLIC),
    "core:healthz": ({}, PUBLIC),
    "core:accessibility": ({}, PUBLIC),
    "core:privacy": ({}, PUBLIC),
    "set_language": ({}, [302] * 5),
    "accounts:home": ({}, [302] * 5),
    "accounts:profile": ({}, LOGGED_IN),
    "content:work_area_list": ({}, COORDINATORS),
    "content:work_area_create": ({}, COORDINATORS),
    "content:work_area_edit": ({"pk": "work_area"}, COORDINATORS),
}

# Third-party URL sets (allauth's login, sign-up, password and two-factor pages) are checked
# by their own projects; they are public or ask for a login themselves.
THIRD_PARTY_PREFIXES = ("account_", "mfa_", "socialaccount_", "headless")


def app_matrix_modules():
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.url_matrix"
        if config.name.startswith("polyfon.") and find_spec(f"{config.name}.tests") and find_spec(name):
            modules.append(import_module(name))
    return modules


def full_matrix():
    matrix = dict(BASE_MATRIX)
    for module in app_matrix_modules():
        overlap = set(matrix) & set(module.MATRIX)
        assert not overlap, f"URL names listed twice: {overlap}"
        matrix.update(module.MATRIX)
    return matrix


MATRIX = full_matrix()


def project_url_names():
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if not pattern.name.startswith(THIRD_PARTY_PREFIXES):
                    names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix():
    missing = project_url_names() - set(MATRIX)
    stale = set(MATRIX) - project_url_names()
    assert not missing, f"Add these URLs to their app's tests/url_matrix.py: {sorted(missing)}"
    assert not stale, f"These rows name no URL: {sorted(stale)}"


def test_every_project_view_declares_its_permission():
    from django.urls import URLPattern

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.name.startswith(THIRD_PARTY_PREFIXES):
                yield pattern

    undeclared = [p.name for p in walk(get_resolver().url_patterns) if not hasattr(p.callback, "permission")]
    assert not undeclared, f"These views do not say who may see them: {undeclared}"


@pytest.fixture
def world(member, coordinator):
    from polyfon.content.models import WorkArea

    objects = {"member": member.pk, "work_area": WorkArea.objects.first().pk}
    for module in app_matrix_modules():
        if hasattr(module, "world"):
            objects.update(module.world(dict(objects)))
    return objects


def resolve_kwargs(spec: dict, world: dict) -> dict:
    """World keys become primary keys; a value in quotes ('"give_notice"') is used as it is."""
    return {k: (v[1:-1] if v.startswith('"') else world[v]) for k, v in spec.items()}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_role_as_expected(name, client, role_users, world):
    kwargs_spec, expected = MATRIX[name]
    url = reverse(name, kwargs=resolve_kwargs(kwargs_spec, world))
    answers = {}
    for role in ROLES:
        client.logout()
        if role_users[role] is not None:
            client.force_login(role_users[role])
        response = client.get(url)
        answers[role] = response.status_code
        if role == "anonymous" and response.status_code == 302 and expected[0] == 302 and name not in {"set_language", "accounts:home"}:
            assert reverse("account_login") in response["Location"], f"{name} should send anonymous visitors to log in"
    assert answers == dict(zip(ROLES, expected, strict=True))


POST_ONLY = sorted(name for name, (_kwargs, expected) in MATRIX.items() if set(expected) == {405})


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_actions_ask_anonymous_visitors_to_log_in_and_refuse_others(name, client, role_users, world):
    """The rows above only see 405 for these buttons; their rules are checked here by POSTing as
    an anonymous visitor (sent to log in) and as a registered user with no role, who owns none
    of the world's objects (refused: 403, or 404 where the object is hidden)."""
    kwargs_spec, _expected = MATRIX[name]
    url = reverse(name, kwargs=resolve_kwargs(kwargs_spec, world))
    response = client.post(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"], name
    client.force_login(role_users["registered"])
    assert client.post(url).status_code in (403, 404), name
