"""Shared pieces of the URL-by-role matrix (tests/test_url_matrix.py).

Each app lists its URLs in `<app>/tests/url_matrix.py` as MATRIX = {url name: (kwargs, answers)},
where kwargs name objects of the test world and answers give the status code for each role in
ROLES order. An app that needs objects in the world adds them in `def world(base) -> dict`.
"""

ROLES = ["anonymous", "registered", "contact", "steering", "coordinator"]

PUBLIC = [200, 200, 200, 200, 200]
LOGGED_IN = [302, 200, 200, 200, 200]
REGISTER_READERS = [302, 403, 403, 200, 200]  # coordinators and steering-group members
COORDINATORS = [302, 403, 403, 403, 200]
OWN_PARTICIPANT = [302, 403, 200, 403, 200]  # the participant's own contacts (and coordinators)
POST_ONLY = [405, 405, 405, 405, 405]
