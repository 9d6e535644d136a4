"""factdesk: a terminal reader and annotator for people who review news.

The one installed import package. Its parts live in the repository's top-level folders:
``factdesk.annotations`` (``annotations/``: the domain, no Textual), ``factdesk.tui`` (``tui/``: the Textual
views), ``factdesk.themes`` (``themes/``: the look as data), ``factdesk.seeds`` (``seeds/``: the bundled corpus)
and ``factdesk.cli`` (the ``factdesk`` command, which needs Textual only for the reader).
"""

__version__ = "0.1.0"
