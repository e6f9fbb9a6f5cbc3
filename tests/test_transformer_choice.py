"""Tests for how the models extra's transformer gets its epoch and threshold: chosen on the
held-out era blocks of its training runs (bench/train_transformer_checkworthy.py --choose)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "bench" / "train_transformer_checkworthy.py"
# Two held-out era blocks (sentence ids 0-1999 and 2000-3999), four sentences each.
IDS = [0, 1, 2, 3, 2000, 2001, 2002, 2003]
LABELS = [1, 1, 0, 0, 1, 0, 0, 0]


def _run(folder: Path, epochs: list[list[float]]) -> None:
    """A finished training run's record, as the script writes it after each epoch."""
    folder.mkdir()
    entries = []
    for n, logits in enumerate(epochs, start=1):
        (folder / f"heldout-epoch{n}.json").write_text(
            json.dumps({"ids": IDS, "labels": LABELS, "logits": logits})
        )
        # The block-rule figures come from training; the pooled ones are computed by --choose.
        entries.append(
            {"epoch": n, "threshold": 0.0, "block_f1": 0.5, "block_ap": 0.5, "pooled_ap": 0.5}
        )
    args = {
        "holdout": "0",
        "epochs": str(len(epochs)),
        "max_tokens": "64",
        "data_dir": "d",
        "ct24": "c",
        "lr": "5e-05",
        "batch": "32",
        "seed": "0",
    }
    report = {"sentences": 10, "cfs": 3, "held_out": 8, "args": args, "epochs": entries}
    (folder / "report.json").write_text(json.dumps(report))


def _choose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--choose", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def test_pooled_rule_picks_the_epoch_and_threshold_with_the_best_pooled_f1(
    tmp_path: Path,
) -> None:
    # Epoch 2 separates the classes perfectly (any logit in (0.5, 2] splits them); epoch 1 not.
    perfect = [3.0, 2.0, 0.5, -1.0, 2.5, 0.0, -2.0, -3.0]
    muddled = [3.0, -2.0, 2.0, -1.0, 0.0, 1.0, -2.0, -3.0]
    old, new = tmp_path / "v1", tmp_path / "v2"
    _run(old, [muddled])
    _run(new, [muddled, perfect])
    done = _choose(str(old), str(new), "--rule", "pooled")
    assert done.returncode == 0, done.stderr
    chosen = json.loads((new / "chosen.json").read_text())
    assert chosen["rule"] == "pooled" and chosen["epoch"] == 2
    assert chosen["held_out_f1"] == 1.0
    # The lowest grid logit that keeps every negative out.
    assert chosen["threshold_logit"] == 0.51
    assert not (old / "chosen.json").exists()
    # Leave-one-block-out is printed for both rules, per epoch.
    assert done.stdout.count("rule, threshold from the other held-out blocks") == 6


def test_choose_never_rewrites_a_shipped_runs_choice(tmp_path: Path) -> None:
    perfect = [3.0, 2.0, 0.5, -1.0, 2.5, 0.0, -2.0, -3.0]
    old = tmp_path / "v1"
    _run(old, [perfect])
    record = {"epoch": 1, "threshold_logit": -1.18, "note": "what shipped"}
    (old / "chosen.json").write_text(json.dumps(record))
    done = _choose(str(old), "--rule", "pooled")
    assert done.returncode != 0
    assert "exists with another choice" in done.stderr
    assert json.loads((old / "chosen.json").read_text()) == record
