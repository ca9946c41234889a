"""``python -m stepcheck``: the command line."""
from stepcheck.cli import main

main()
