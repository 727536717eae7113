"""The report authors' pages: the items assigned to them, drafting, appendices, submission, and
the officers' clearance (docs/web.md, "Report authors")."""
