"""Pieces the governance views share: the life-cycle move pages."""

from django.http import Http404

from polyfon.core import pages

from .. import lifecycle

MINE = "layouts/mine.html"
PUBLIC = "layouts/public.html"


def move_page(request, obj, *, table: str, move: str, cancel_url: str, initial=None):
    """The page of one life-cycle move offered on the object's page (see core.pages.move_page)."""
    spec = lifecycle.TABLES[table].get(move)
    if spec is None or not spec.on_page:
        raise Http404
    return pages.move_page(
        request, obj, table=lifecycle.TABLES[table], move=move, object_arg=table, cancel_url=cancel_url, initial=initial
    )
