"""Care over the API: serializers, views (resident and staff), urls (registered under /api/v1/)."""
