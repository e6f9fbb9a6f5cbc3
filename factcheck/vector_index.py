"""An inverted-file (IVF) index of unit vectors for the models extra, in numpy only.

The vectors are split into lists by spherical k-means; a look-up scores the list centroids,
then only the vectors of the nearest `probes` lists. At a million claims that scans a few
percent of them instead of all (bench/vector_index.md: time and recall against a brute-force
numpy scan in the same run). Nothing here touches the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

CHUNK = 65_536
PROBES = 128


@dataclass
class IvfIndex:
    centroids: Any  # (lists, dim) float32, unit rows
    offsets: Any  # (lists + 1,) int64: list n is rows offsets[n]:offsets[n + 1]
    ids: Any  # (n,) int64, grouped by list
    vectors: Any  # (n, dim) float32, grouped by list: a list is one contiguous block

    @property
    def lists(self) -> int:
        return int(len(self.centroids))

    @property
    def nbytes(self) -> int:
        return int(
            self.centroids.nbytes + self.offsets.nbytes + self.ids.nbytes + self.vectors.nbytes
        )

    @classmethod
    def build(
        cls, ids: Any, vectors: Any, *, lists: int | None = None, rounds: int = 6, seed: int = 0
    ) -> IvfIndex:
        """Index unit vectors (any float dtype) under integer ids."""
        import numpy as np

        count = len(vectors)
        lists = lists or max(1, min(count, round(2 * math.sqrt(count))))
        rng = np.random.default_rng(seed)
        sample_size = min(count, 32 * lists)
        sample = vectors[rng.choice(count, sample_size, replace=False)].astype(np.float32)
        centroids = sample[rng.choice(sample_size, lists, replace=False)].copy()
        for _ in range(rounds):
            nearest = _nearest(sample, centroids)
            sums = np.zeros_like(centroids)
            np.add.at(sums, nearest, sample)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            empty = norms[:, 0] == 0
            # a list that lost all its members keeps its old centroid
            sums[empty] = centroids[empty]
            norms[empty] = 1.0
            centroids = sums / norms
        assigned = np.concatenate(
            [
                _nearest(vectors[start : start + CHUNK].astype(np.float32), centroids)
                for start in range(0, count, CHUNK)
            ]
        )
        order = np.argsort(assigned, kind="stable")
        offsets = np.zeros(lists + 1, dtype=np.int64)
        np.cumsum(np.bincount(assigned, minlength=lists), out=offsets[1:])
        return cls(
            centroids.astype(np.float32),
            offsets,
            np.asarray(ids, dtype=np.int64)[order],
            np.ascontiguousarray(np.asarray(vectors)[order], dtype=np.float32),
        )

    def search(self, query: Any, k: int, *, probes: int = PROBES) -> tuple[Any, Any]:
        """(ids, cosines) of the k nearest indexed vectors found in the probed lists."""
        import numpy as np

        query = np.asarray(query, dtype=np.float32)
        probes = min(probes, self.lists)
        near = np.argpartition(-(self.centroids @ query), probes - 1)[:probes]
        spans = [(int(self.offsets[n]), int(self.offsets[n + 1])) for n in near]
        spans = [(a, b) for a, b in spans if b > a]
        if not spans:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # Each list is a contiguous block: scored in place, never gathered into a copy.
        scores = np.concatenate([self.vectors[a:b] @ query for a, b in spans])
        ids = np.concatenate([self.ids[a:b] for a, b in spans])
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return ids[best], scores[best]


def _nearest(block: Any, centroids: Any) -> Any:
    import numpy as np

    return np.argmax(block @ centroids.T, axis=1)
