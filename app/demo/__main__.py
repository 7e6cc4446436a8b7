"""`python -m app.demo` (what `make demo` runs)."""

from app.demo import main

main()
