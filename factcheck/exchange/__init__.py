"""File formats for export and import: strict JSON, CSV, ClaimReview JSON-LD and Markdown.

Pure functions on plain data (dicts, bytes, text); the database side lives elsewhere.
"""
