"""Chatter: a sentence of the article that repeats a social post with nothing to check in it
('"#blessed," she tweeted alongside a photo of the ring.').

It is a real sentence of the article, so it is not furniture: it keeps its place, its speaker
and the model's score. What changes is the decision: extract_article marks it not
check-worthy, so `factcheck import` does not make it a claim (the review table lists claims
only) unless --all or --min-score asks for every sentence.
"""

from __future__ import annotations

import re

# Verbs that say a sentence reports a post, not a statement.
_POSTED = re.compile(
    r"\b(?:tweeted|retweeted|posted|captioned|shared|commented|replied|wrote\s+(?:on|in|"
    r"alongside|under|beneath|next\s+to)|(?:said|wrote)\s+on\s+(?:instagram|x|twitter|"
    r"facebook|tiktok|threads|snapchat|social\s+media))\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{1,200})[\"”]|(?<!\w)‘([^‘’]{1,200})’(?!\w)")
# Hashtags, handles, links and emoji carry no claim.
_NOISE = re.compile(r"[#@][\w.]+|https?://\S+|[^\w\s'’-]", re.UNICODE)
CHATTER_WORDS = 1


def is_chatter(sentence: str) -> bool:
    """A quoted post reported with a verb of posting whose words, hashtags, handles and emoji
    aside, are one at most ('"#blessed," she tweeted', 'She posted "wow"'). '"Rigged election
    #StopTheSteal," he posted.' and '"We will appeal," the company posted.' are claims."""
    quoted = [a or b for a, b in _QUOTED.findall(sentence)]
    if not quoted:
        return False
    frame = _QUOTED.sub(" ", sentence)
    if not _POSTED.search(frame):
        return False
    post = " ".join(quoted)
    if any(c.isdigit() for c in post):
        return False  # "3 million families" may be checked
    # At most one word besides hashtags, handles, links and emoji ("#blessed", "wow 😍"): two
    # words can already assert something ("Rigged election #StopTheSteal").
    return len(_NOISE.sub(" ", post).split()) <= CHATTER_WORDS
