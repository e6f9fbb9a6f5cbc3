"""schema.org ClaimReview JSON-LD: build it for publishing, and read other fact-checkers' markup.

The rules checked are those of Google's fact-check structured data guidelines; each broken rule
is a warning, never a silent change. Nothing here fetches anything (not even `@context`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

CLAIM_REVIEWED_LIMIT = 75
# Verdict words that belong in reviewRating, not in the claim as published.
RATING_WORDS = (
    "pants on fire",
    "mostly true",
    "half true",
    "mostly false",
    "true",
    "false",
    "untrue",
    "misleading",
    "hoax",
    "fake",
    "fabricated",
    "debunked",
    "lie",
    "lies",
    "incorrect",
    "inaccurate",
    "baseless",
    "unproven",
    "unsubstantiated",
    "misinformation",
    "disinformation",
    "satire",
)
_RATING_WORD = re.compile(
    r"\b(?:" + "|".join(w.replace(" ", r"[\s-]+") for w in RATING_WORDS) + r")\b", re.I
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HTTP_URL = re.compile(r"https?://[^\s<>\"]+\Z", re.I)


def _date_part(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO date or datetime string, or None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _partial_date(value: Any) -> str | None:
    """An ISO date at the precision stored ("2017", "2017-05" or "2017-05-14"), or None."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
        return value.strip()
    return None


def _http_url(value: Any) -> str | None:
    if isinstance(value, str) and _HTTP_URL.match(value.strip()):
        return value.strip()
    return None


def _rating_words(text: str, label: str | None) -> list[str]:
    found = [
        " ".join(m.group().lower().replace("-", " ").split()) for m in _RATING_WORD.finditer(text)
    ]
    if label and label.strip():
        pattern = r"(?<!\w)" + re.escape(label.strip()) + r"(?!\w)"
        if re.search(pattern, text, re.I):
            found.append(label.strip().lower())
    return list(dict.fromkeys(found))


def build_claimreview(
    item: dict[str, Any], org: dict[str, str | None]
) -> tuple[dict[str, Any], list[str]]:
    """One claim's ClaimReview object, and one warning per guideline it breaks."""
    warnings: list[str] = []
    uuid = str(item.get("uuid") or "")
    ref = str(item.get("id") or "ID")
    summary = (item.get("summary") or "").strip()
    claim_reviewed = summary or (item.get("text") or "").strip()
    if len(claim_reviewed) >= CLAIM_REVIEWED_LIMIT:
        warnings.append(
            f"claimReviewed is {len(claim_reviewed)} characters; give the claim a summary under "
            f'{CLAIM_REVIEWED_LIMIT}: factcheck claim edit {ref} --summary "..."'
        )
    label = item.get("rating_label")
    words = _rating_words(claim_reviewed, label)
    if words:
        warnings.append(
            f"claimReviewed contains the rating word(s) {', '.join(repr(w) for w in words)}; "
            f'word the summary as the claim, not the verdict: factcheck claim edit {ref} --summary "..."'
        )

    org_name = (org.get("name") or "").strip() or None
    org_url = (org.get("url") or "").strip() or None
    if not org_name:
        warnings.append('no organisation name; set it: factcheck settings set org_name "Your Desk"')
    if not org_url:
        warnings.append("no organisation url; set it: factcheck settings set org_url https://...")
    elif not _http_url(org_url):
        warnings.append(
            f"the organisation url {org_url!r} is not an http(s) URL; set it: "
            "factcheck settings set org_url https://..."
        )

    publish = f"factcheck claim publish {ref} --url https://..."
    review_url = (item.get("review_url") or "").strip() or None
    if review_url and not _http_url(review_url):
        warnings.append(
            f"the published URL {review_url!r} is not an http(s) URL; fix it: {publish}"
        )
    if not review_url:
        if org_url:
            review_url = f"{org_url.split('#')[0]}#claim-{uuid}"
            warnings.append(
                f"no URL of the published fact check, so {review_url} was used; record where "
                f"it was published: {publish}"
            )
        else:
            warnings.append(f"no URL of the published fact check; record it: {publish}")

    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    if not label:
        warnings.append(
            f"no verdict; record one before publishing: factcheck verdict add {ref} RATING"
        )
    if item.get("rating_value") is not None:
        rating["ratingValue"] = item["rating_value"]
        rating["bestRating"] = item.get("best")
        rating["worstRating"] = item.get("worst")

    author: dict[str, Any] = {"@type": "Organization"}
    if org_name:
        author["name"] = org_name
    if org_url:
        author["url"] = org_url

    claim: dict[str, Any] = {"@type": "Claim"}
    speaker = (item.get("speaker") or "").strip()
    speaker_type = (item.get("speaker_type") or "").strip().lower()
    if speaker:
        kind = "Organization" if speaker_type == "organization" else "Person"
        claim["author"] = {"@type": kind, "name": speaker}
        if speaker_type not in ("person", "organization"):
            warnings.append(
                f"is {speaker!r} a person or an organisation? exported as a Person; say which: "
                f"factcheck claim edit {ref} --speaker-type person|organization"
            )
    else:
        warnings.append(
            f'no speaker; say who made the claim: factcheck claim edit {ref} --speaker "..."'
        )
    claim_date = _partial_date(item.get("claim_date"))
    if claim_date:
        claim["datePublished"] = claim_date
    else:
        warnings.append(
            f"no claim date; say when it was made: factcheck claim edit {ref} --date YYYY-MM-DD"
        )
    appearance_url = _http_url(item.get("source_url"))
    if appearance_url:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": appearance_url}
        if item.get("source_title"):
            appearance["headline"] = item["source_title"]
        if _partial_date(item.get("source_date")):
            appearance["datePublished"] = _partial_date(item.get("source_date"))
        if item.get("source_publisher"):
            appearance["publisher"] = {"@type": "Organization", "name": item["source_publisher"]}
        claim["appearance"] = appearance

    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim_reviewed,
        "reviewRating": rating,
    }
    if review_url:
        review["url"] = review_url
    review["author"] = author
    reviewed_on = _partial_date(item.get("review_date")) or _date_part(item.get("reviewed_at"))
    if reviewed_on:
        review["datePublished"] = reviewed_on
    review["itemReviewed"] = claim
    return review, warnings


def build_claimreview_document(
    items: list[dict[str, Any]], org: dict[str, str | None]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """ClaimReview objects for many claims, and the warnings of those that have any, by uuid."""
    reviews: list[dict[str, Any]] = []
    warnings: dict[str, list[str]] = {}
    for item in items:
        review, found = build_claimreview(item, org)
        reviews.append(review)
        if found:
            warnings[str(item.get("uuid"))] = found
    return reviews, warnings


# ---- import -------------------------------------------------------------------------------


def _is_claimreview(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    # "ClaimReview", "schema:ClaimReview" and "https://schema.org/ClaimReview" all count.
    return any(isinstance(k, str) and re.split(r"[/:#]", k)[-1] == "ClaimReview" for k in kinds)


def _walk(data: Any) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every ClaimReview in document order, and every node with an @id (to resolve references)."""
    found: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    stack: list[Any] = [data]
    while stack:  # a stack, not recursion: the input's shape is not ours to trust
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            node_id = node.get("@id")
            if isinstance(node_id, str) and len(node) > 1 and node_id not in by_id:
                by_id[node_id] = node
            if _is_claimreview(node):
                found.append(node)
            else:
                stack.extend(reversed(list(node.values())))
    return found, by_id


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    # {"@id": "..."} alone is a reference to a node elsewhere in the @graph.
    if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
        return by_id.get(str(value.get("@id")), value)
    return value


def _first_dict(value: Any, by_id: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    for candidate in value if isinstance(value, list) else [value]:
        candidate = _resolve(candidate, by_id)
        if isinstance(candidate, dict):
            return candidate
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> str | None:
    """A name from a string, an object with a name, or a list of those (joined)."""
    names: list[str] = []
    for candidate in value if isinstance(value, list) else [value]:
        candidate = _resolve(candidate, by_id)
        if isinstance(candidate, dict):
            candidate = candidate.get("name")
            if isinstance(candidate, list):  # some give name as ["Name"]
                candidate = next((n for n in candidate if isinstance(n, str)), None)
        name = _text(candidate)
        if name and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _url_of(value: Any, by_id: dict[str, dict[str, Any]]) -> str | None:
    """The first http(s) URL from a string, an object's url or @id, or a list of those."""
    for candidate in value if isinstance(value, list) else [value]:
        candidate = _resolve(candidate, by_id)
        if isinstance(candidate, dict):
            # No resolving below this level, so a node whose url refers to itself cannot loop.
            url = _url_of(candidate.get("url"), {}) or _http_url(candidate.get("@id"))
        else:
            url = _http_url(candidate)
        if url:
            return url
    return None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        if number != number or number in (float("inf"), float("-inf")):
            return None
        return int(number) if number.is_integer() else number
    return None


def parse_date(value: Any) -> str | None:
    """YYYY-MM-DD from a date as publishers write it, or None when it lacks a day or is unclear."""
    text = _text(value)
    if text is None:
        return None
    iso = _date_part(text)
    if iso or len(text) > 64:  # real dates are short; long text is not worth parsing
        return iso
    from dateutil import parser  # imported here: dateutil is slow to import for --help

    try:
        # Parsed twice with different defaults: if they differ, the text lacks a year, month or
        # day, and a filled-in default would be an invented date.
        first: datetime = parser.parse(text, default=datetime(2000, 1, 1))
        second: datetime = parser.parse(text, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return first.date().isoformat()


def _normalised(value: Any, best: Any, worst: Any) -> float | None:
    if value is None or best is None or worst is None or best == worst:
        return None
    share = (value - worst) / (best - worst)  # works for inverted scales (1 best, 5 worst) too
    return float(share) if 0.0 <= share <= 1.0 else None


def _parse_one(node: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    claim = _first_dict(node.get("itemReviewed"), by_id) or {}
    rating = _first_dict(node.get("reviewRating"), by_id) or {}
    raw_value = rating.get("ratingValue")
    value = _number(raw_value)
    best = _number(rating.get("bestRating"))
    worst = _number(rating.get("worstRating"))
    appearance = claim.get("appearance") or claim.get("firstAppearance")
    return {
        "claim_text": _text(node.get("claimReviewed")),
        "speaker": _names(claim.get("author"), by_id),
        "claim_date": parse_date(claim.get("datePublished")),
        # Older markup put the appearance straight on itemReviewed (a CreativeWork with a url).
        "appearance_url": _url_of(appearance, by_id)
        or _http_url(claim.get("url"))
        or _url_of(claim.get("sameAs"), by_id),
        "review_url": _http_url(node.get("url")) or _url_of(node.get("mainEntityOfPage"), by_id),
        "reviewer_org": _names(node.get("author"), by_id) or _names(node.get("publisher"), by_id),
        "review_date": parse_date(node.get("datePublished")),
        # Some publishers put the verdict word in ratingValue ("False"): keep it as the label.
        "rating_label": _text(rating.get("alternateName"))
        or _text(rating.get("name"))
        or (_text(raw_value) if value is None else None),
        "rating_value": value,
        "best": best,
        "worst": worst,
        "normalised": _normalised(value, best, worst),
    }


def parse_claimreviews(data: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Normalise the ClaimReviews found anywhere in parsed JSON-LD; also say which were skipped."""
    nodes, by_id = _walk(data)
    if not nodes:
        return [], ['no object with "@type": "ClaimReview" found']
    reviews: list[dict[str, Any]] = []
    skipped: list[str] = []
    for position, node in enumerate(nodes, 1):
        parsed = _parse_one(node, by_id)
        if parsed["claim_text"] is None:
            where = f" ({parsed['review_url']})" if parsed["review_url"] else ""
            skipped.append(f"ClaimReview {position}{where} has no claimReviewed text: skipped")
            continue
        if parsed["rating_label"] is None and parsed["rating_value"] is None:
            where = f" ({parsed['review_url']})" if parsed["review_url"] else ""
            skipped.append(
                f"ClaimReview {position}{where} has no rating factcheck can read "
                "(no alternateName, name or ratingValue): imported without a verdict"
            )
        reviews.append(parsed)
    return reviews, skipped
