"""The app's Radix theme keeps solid panels: translucent ones (Radix's default) put a backdrop blur
under every card, and a 100-question form's builder spent most of a click compositing them
(benchmarks/RESULTS.md, sixth session)."""

from __future__ import annotations

from reflex_components_radix.plugin import RadixThemesPlugin

import rxconfig


def test_the_theme_has_solid_panels() -> None:
    plugins = [p for p in rxconfig.config.plugins if isinstance(p, RadixThemesPlugin)]
    assert len(plugins) == 1
    theme = plugins[0].theme
    assert theme is not None
    assert str(theme.panel_background) == '"solid"'
    # and it reaches the page: the theme's props as compiled
    assert 'panelBackground:"solid"' in str(theme)
