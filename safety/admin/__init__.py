"""Staff side of safety kits: the request review queue, installation visits, stock and its ledger, the
catalogue and the districts' offers.

Nothing here decides anything: approvals, rejections, visits and stock movements all go through
safety.services (transition table, stock locks, audit events, notifications). Every queryset is scoped
through the models' ``visible_to``, so a caseworker sees only their own district's requests, stock,
ledger and offer.

Modules: requests (the review queue and decisions), visits (scheduling and outcomes), stock (stock rows
and the ledger), catalogue (items and offers). Importing them registers their ModelAdmins.
"""

from . import catalogue, requests, stock, visits  # noqa: F401
