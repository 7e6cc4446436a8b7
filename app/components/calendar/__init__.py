"""The booking calendar page's pieces: the grid, the toolbar, and its three dialogs."""
