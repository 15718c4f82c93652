"""The governance rows of the URL-by-role matrix, on governance's own world only, so they run
even while another app's world is being built. tests/test_url_matrix.py runs them with all."""

import pytest
from django.urls import reverse

from polyfon.core.testing import ROLES

from . import url_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance_world(member, role_users):
    base = {"member": member.pk}
    return {**base, **url_matrix.world(dict(base))}


@pytest.mark.parametrize("name", sorted(url_matrix.MATRIX))
def test_governance_url_answers_each_role(name, client, role_users, governance_world):
    spec, expected = url_matrix.MATRIX[name]
    kwargs = {k: (v[1:-1] if v.startswith('"') else governance_world[v]) for k, v in spec.items()}
    url = reverse(name, kwargs=kwargs)
    answers = {}
    for role in ROLES:
        client.logout()
        if role_users[role] is not None:
            client.force_login(role_users[role])
        answers[role] = client.get(url).status_code
    assert answers == dict(zip(ROLES, expected, strict=True))
