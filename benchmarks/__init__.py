"""UI benchmarks of Praxis in a real browser (see benchmarks/RESULTS.md)."""
