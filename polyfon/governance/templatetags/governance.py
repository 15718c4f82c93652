"""Template tags other apps use to show governance next to their own objects."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("governance/_decisions_for.html")
def decided_by(obj):
    """`{% load governance %}{% decided_by schedule %}`: the decisions linked to `obj` (who decided
    a fee schedule, a call's grants, a strategy), with links to the meetings."""
    return {"decisions": list(selectors.decisions_for(obj))}
