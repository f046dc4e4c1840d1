"""``python -m gendan_xl`` runs the ``gendan`` command line."""

from gendan_xl.cli import main

main()
