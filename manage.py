#!/usr/bin/env python
"""Same as `python -m consilium`."""

from consilium.__main__ import main

if __name__ == "__main__":
    main()
