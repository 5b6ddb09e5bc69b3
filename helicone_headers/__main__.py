"""``python -m helicone_headers``: the helicone-headers command line."""

from helicone_headers._cli import main

raise SystemExit(main())
