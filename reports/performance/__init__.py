"""Monthly performance reports (성과관리) per district: the dashboard's figures for a month plus each
program's budget and participants, as a stored XLSX and a printable page, sent to the district's managers.

services: generation (idempotent per district and month); tasks: the monthly beat job; views/urls: the
staff pages under /reports/performance/.
"""
