"""``python -m fink_gateway``: the ``fink-gateway`` command."""

from fink_gateway.gateway.cli import main

main()
