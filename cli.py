"""``python cli.py ...``: the same command line as the installed ``stepcheck`` (see :mod:`stepcheck.cli`)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stepcheck.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
