"""The public web pages (``s75 serve``): read-only views of meetings, decisions, proposals and
deadlines. Nothing exempt (LGA 1972 Schedule 12A) reaches a page; see docs/web.md."""
