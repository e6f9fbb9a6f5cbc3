"""First names and the gender they usually carry, from a maintained name list.

The list is factcheck/extract/data/first-names.tsv.gz, derived from the nomquamgender package
(MIT) by bench/build_first_names.py; it is read once, on first use.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

MALE = "m"
FEMALE = "f"
EITHER = "-"


@cache
def _first_names() -> dict[str, str]:
    import gzip  # here, so that importing the extractor stays cheap

    data = resources.files("factcheck.extract").joinpath("data/first-names.tsv.gz").read_bytes()
    names: dict[str, str] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, gender = line.partition("\t")
            names[name] = gender
    return names


def first_name_gender(token: str) -> str | None:
    """'m', 'f' or '-' (either) for a known first name, None for anything else."""
    if not token[:1].isupper() or (token.isupper() and len(token) > 1):
        return None  # "the", acronyms
    return _first_names().get(token.lower())


def is_first_name(token: str) -> bool:
    return first_name_gender(token) is not None
