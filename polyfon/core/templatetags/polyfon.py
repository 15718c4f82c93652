"""Template filters and tags every template may use (registered as builtins in settings)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from polyfon.core import formatting
from polyfon.core.audit import action_label
from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, PUBLIC_MENU
from polyfon.core.richtext import render_markdown
from polyfon.core.validators import format_phone

register = template.Library()


@register.filter
def nok(value):
    """150000 -> 150 000 kr"""
    return formatting.format_nok(value)


@register.filter
def nok_exact(value):
    """Always with øre: 150 000,00 kr (invoices)."""
    return formatting.format_nok(value, decimals=True)


@register.filter
def number(value, decimals=0):
    return formatting.format_number(value, decimals=int(decimals))


@register.filter
def percent(value, decimals=0):
    return formatting.format_percent(value, decimals=int(decimals))


@register.filter
def phone(value):
    return format_phone(value)


@register.filter
def orgnr(value):
    """995525828 -> 995 525 828"""
    value = str(value or "")
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 9 else value


@register.filter
def audit_label(action):
    return action_label(action)


@register.filter
def markdown(source, top_heading=2):
    """Markdown written by the coordinator, as sanitised HTML (`{{ call.text|markdown:3 }}` for a
    text in a section under an <h2>)."""
    return mark_safe(render_markdown(source or "", top_heading=int(top_heading)))  # noqa: S308 (sanitised by nh3)


@register.filter
def field_type(bound_field):
    return bound_field.field.widget.__class__.__name__


@register.filter
def list_rows(objects, list_page):
    """The cells of a ListPage's rows for the objects of the current page."""
    return list_page.rows(objects)


@register.simple_tag(takes_context=True)
def menu(context, name):
    menus = {"public": PUBLIC_MENU, "mine": MINE_MENU, "office": OFFICE_MENU}
    return menus[name].for_request(context["request"])


@register.simple_tag
def current_language():
    return (get_language() or "nb")[:2]
