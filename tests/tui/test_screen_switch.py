"""Screen switches redo only what changed: the footer keeps its keys and the screen its styles,
unless the bindings or the app's styling changed while it was away (issue 12, item 10)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from tests.tui.conftest import settle
from tui.app import CuratorApp
from tui.screens.quick_resume import QuickResume
from tui.widgets.steady_footer import SteadyFooter


def footer_keys(screen: Screen) -> list[FooterKey]:
    return list(screen.query_one(SteadyFooter).query(FooterKey))


async def test_coming_back_keeps_the_footer_and_restyles_nothing(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        review = pilot.app.screen
        keys = footer_keys(review)
        assert keys
        for key in ("2", "3", "4"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        restyled: list[int] = []
        update_nodes = pilot.app.stylesheet.update_nodes

        def counting(nodes, animate=False):  # noqa: ANN001, ANN202 - a spy on Textual
            nodes = list(nodes)
            restyled.append(len(nodes))
            return update_nodes(nodes, animate=animate)

        pilot.app.stylesheet.update_nodes = counting
        await pilot.press("2", "1")
        await settle(pilot)
        assert pilot.app.screen is review
        assert footer_keys(review) == keys  # the same widgets: not rebuilt
        widgets = len(list(review.walk_children()))
        assert sum(restyled) < widgets // 2, (restyled, widgets)


class Flagged(QuickResume, Screen[None]):
    BINDINGS = [Binding("x", "flagged", "Flagged")]
    enabled = True

    def compose(self) -> ComposeResult:
        yield Label("text")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (True if self.enabled else None) if action == "flagged" else True


class Other(QuickResume, Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("other")


class TwoModes(App[None]):
    CSS = "App.-alt Label { color: red; }"
    MODES = {"a": Flagged, "b": Other}  # noqa: RUF012

    def on_mount(self) -> None:
        self.switch_mode("a")


async def test_the_footer_follows_its_screens_bindings() -> None:
    async with TwoModes().run_test() as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, Flagged)
        [key] = [key for key in footer_keys(screen) if key.key == "x"]
        assert not key.has_class("-disabled")
        screen.enabled = False
        screen.refresh_bindings()
        await pilot.pause(0.1)
        [key] = [key for key in footer_keys(screen) if key.key == "x"]
        assert key.has_class("-disabled")


async def test_a_change_to_the_app_while_away_restyles_on_return() -> None:
    async with TwoModes().run_test() as pilot:
        await pilot.pause()
        label = pilot.app.screen.query_one(Label)
        red = label.styles.color
        await pilot.app.switch_mode("b")
        await pilot.pause()
        pilot.app.add_class("-alt")  # restyles the screen in view, not the one away
        await pilot.pause()
        await pilot.app.switch_mode("a")
        await pilot.pause()
        assert label.styles.color != red
        assert label.styles.color.rgb == (255, 0, 0)
