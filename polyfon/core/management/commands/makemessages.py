"""Django's makemessages without fuzzy matching: a new string is left untranslated (and the
translation test says so) instead of getting the translation of a similar-looking string."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
