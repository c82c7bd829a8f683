"""What benefits tells the apps above it. Bulk ledger changes (a schedule, a bulk approval, a batch, a
stop) are single UPDATE/INSERT statements that send no post_save: they send `ledger_changed` instead,
so reports' dashboard cache forgets the district's budget-execution figures."""

from django.dispatch import Signal

# Sent with district_id (None: several or unknown districts), after the change's transaction commits.
ledger_changed = Signal()
