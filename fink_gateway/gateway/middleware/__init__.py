"""ASGI middleware of the gateway, one per module: request ids, rate limits, body size."""
