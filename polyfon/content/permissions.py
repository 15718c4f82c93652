"""Who may do what with the content. Views name these; tests/test_url_matrix.py proves them.

The public pages are open to everyone (`@public`); everything else is the coordinators' work.
"""

from polyfon.accounts import roles


def can_manage_content(user) -> bool:
    """Coordinators write work areas, knowledge descriptions and news, and run the newsletter."""
    return roles.is_coordinator(user)


def can_preview_content(user) -> bool:
    """Who sees drafts, withdrawn articles and unsent issues as the public would see them."""
    return roles.is_coordinator(user)


def can_view_news_article(user, article) -> bool:
    return article.is_public or can_preview_content(user)


def can_manage_newsletter(user) -> bool:
    """Composing and sending issues, and the subscribers' data (export and deletion)."""
    return roles.is_coordinator(user)
