"""Every write of governance, split by sub-domain: bodies and seats, meetings, voting.

`from polyfon.governance import services` gives all of them (lifecycle.py names them here).
"""

from .bodies import *  # noqa: F403
from .bodies import __all__ as _bodies
from .meetings import *  # noqa: F403
from .meetings import __all__ as _meetings
from .voting import *  # noqa: F403
from .voting import __all__ as _voting

__all__ = [*_bodies, *_meetings, *_voting]
