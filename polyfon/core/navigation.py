"""Menus of the three layouts. Apps add their entries in AppConfig.ready(), so the layouts
never need to know which apps exist. An entry is shown when its rule holds for the viewer."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .permissions import anyone


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    rule: Callable = anyone
    order: int = 100
    exact: bool = False  # current only on its own URL, not on pages below it


@dataclass
class Menu:
    items: list[MenuItem] = field(default_factory=list)

    def add(self, *items: MenuItem) -> None:
        for item in items:
            if all(existing.url_name != item.url_name for existing in self.items):
                self.items.append(item)
        self.items.sort(key=lambda i: i.order)

    def for_request(self, request) -> list[dict]:
        visible = []
        for item in self.items:
            if not item.rule(request.user):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            current = request.path == url or (not item.exact and url != "/" and request.path.startswith(url))
            visible.append({"label": item.label, "url": url, "current": current})
        return visible


PUBLIC_MENU = Menu()
MINE_MENU = Menu()
OFFICE_MENU = Menu()
