"""Demo data for a fresh installation: programs from the seed documents and one account per role.

Load it with ``manage.py load_demo`` (idempotent). Never load it into production.
"""
