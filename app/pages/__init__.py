"""One module per screen group; layout only."""
