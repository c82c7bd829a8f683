"""Inquiries over the API. Modules: serializers, resident (own threads), staff (the district's queue,
answers), inbound (the signed gateway webhooks), signature."""
