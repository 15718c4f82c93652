"""The machinery of the apps' life cycles: a move, and a table of moves.

Each app's `lifecycle.py` declares its states' moves as data (DESIGN.md, style rule 7) and adds
the fields its pages need by subclassing `Move` (the form and service of a move, who makes it,
the URL of its page). Pages draw their buttons from `Lifecycle.moves_from`; services refuse any
move that `Lifecycle.allows` does not.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .audit import audit_log


@dataclass(frozen=True, kw_only=True)
class Move:
    """One allowed change of status: from any of `sources` to `target`.

    `target` is None for an action that keeps the status or whose outcome follows from other
    facts (a payment on an invoice). `label` names the button, `explanation` says what the move
    does before anything happens, `danger` marks a move that is hard or impossible to undo.
    """

    name: str
    sources: frozenset
    target: str | None = None
    label: str = ""
    explanation: str = ""
    danger: bool = False

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))


class Lifecycle(Mapping):
    """The moves of one kind of object, by name, in the order they are declared."""

    def __init__(self, *moves: Move):
        self._moves = {move.name: move for move in moves}

    def __getitem__(self, name: str) -> Move:
        return self._moves[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._moves)

    def __len__(self) -> int:
        return len(self._moves)

    def allows(self, status: str, name: str) -> bool:
        """Whether the move `name` may start from `status` (an unknown move never may)."""
        move = self._moves.get(name)
        return bool(move and status in move.sources)

    def moves_from(self, status: str, **filters) -> list[Move]:
        """The moves that may start from `status` whose fields equal `filters` (`who=...`)."""
        return [
            move
            for move in self._moves.values()
            if status in move.sources and all(getattr(move, key) == value for key, value in filters.items())
        ]



def finish_move(obj, move: Move, *, action: str, actor, previous: str, payload: dict | None = None, fields=()) -> None:
    """Put `obj` in the move's target status, save it with the `fields` the service has set, and
    log `action` with the status before and after. Called inside the service's transaction."""
    obj.status = move.target
    obj.save(update_fields=["status", "updated_at", *fields])
    audit_log(obj=obj, action=action, actor=actor, payload={"from": previous, "to": obj.status, **(payload or {})})
