"""The programs pages: the home page (home.py), the catalog and eligibility (catalog.py), applying and
"My applications" (applications.py), document downloads (documents.py) and open data (open_data.py)."""
