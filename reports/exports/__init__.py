"""Exports of a district's data (issue 6): exporter classes with a row generator, CSV and XLSX writers,
the export form, the service that runs and logs an export, the background job for large ones and the
staff pages. See base.py for how an exporter is built."""
