"""The one error type that services raise when a domain rule says no.

Its message is shown to the user as it is, so it is always a translated, complete sentence.
Views catch it and put the message on the form (or as a page message); nothing is saved.
"""


class DomainError(Exception):
    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
