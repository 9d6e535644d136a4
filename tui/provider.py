"""The command palette's reader commands, from the same list as the keys and the Footer."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from factdesk.tui.commands import READER_COMMANDS, display_keys


class ReaderCommands(Provider):
    """Offers each reader command that makes sense right now (``check_action``)."""

    def _available(self):
        screen = self.screen
        for command in READER_COMMANDS:
            if not hasattr(screen, f"action_{command.action}"):
                continue
            if screen.check_action(command.action, ()) is False:
                continue
            yield command

    async def discover(self) -> Hits:
        for command in self._available():
            yield DiscoveryHit(
                command.help, partial(self.screen.run_action, command.action), help=f"key: {display_keys(command)}"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.help)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.help),
                    partial(self.screen.run_action, command.action),
                    help=f"key: {display_keys(command)}",
                )
