"""One module per ``/api/v1`` route: its arguments, its GraphQL query, its records."""
