"""Output format names, kept free of imports so `--help` stays fast."""

# The tabulate formats offered by every listing (a test checks tabulate knows each one).
TABLE_FORMATS = (
    "simple",
    "plain",
    "github",
    "grid",
    "simple_grid",
    "rounded_grid",
    "fancy_grid",
    "pipe",
    "orgtbl",
    "rst",
    "mediawiki",
    "html",
    "latex",
    "tsv",
    "psql",
    "presto",
    "pretty",
    "outline",
    "simple_outline",
    "rounded_outline",
    "heavy_outline",
    "double_outline",
    "fancy_outline",
    "asciidoc",
    "moinmoin",
    "youtrack",
    "jira",
    "textile",
    "unsafehtml",
    "latex_raw",
    "latex_booktabs",
    "latex_longtable",
)
DATA_FORMATS = ("csv", "json", "jsonl")
JSON_FORMATS = ("json", "jsonl")
OUTPUT_FORMATS = TABLE_FORMATS + DATA_FORMATS
