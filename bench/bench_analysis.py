"""Analysis: the statistics of a regional monitor on 1 million answers, as a ratio to a plain
pandas ``groupby(["item_key"]).mean()`` over the same frame measured in the same run.

The synthetic frame: 5 years x 2,000 organisations x 100 maturity items (10 domains of 10), every
organisation scanned every year (a panel), about 5% "n.v.t.", a deterministic seed. The monitor:
domain scores; descriptives per domain and year; change over waves per domain with Holm (MixedLM on
domain scores, one per organisation and wave); cross-tables with suppression (mean score by sector x
region per domain and year, organisations by sector x size class per year). Also printed: one
MixedLM fit at that size.

`python -m bench.bench_analysis` (or `python -m bench`); `--quick` uses 200 organisations.
"""

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.change import change_by_domain, change_over_waves
from analysis.crosstab import crosstab
from analysis.descriptives import describe_means
from analysis.scores import ItemScoring, domain_scores

YEARS = 5
ITEMS = 100
DOMAINS = 10
SECTORS = ["zorg", "industrie", "techniek", "bouw", "ICT", "logistiek", "detailhandel", "landbouw"]
REGIONS = ["Noord-Limburg", "Midden-Limburg", "Zuid-Limburg"]
SIZES = ["1-9", "10-49", "50-249", "250+"]


def scoring() -> list[ItemScoring]:
    """Ten maturity domains (0-4) of ten items; every seventh item is reverse coded."""
    return [
        ItemScoring(f"d{j // 10}_i{j % 10}", f"domein_{j // 10}", 0, 4, reverse=j % 7 == 3)
        for j in range(ITEMS)
    ]


def synthetic_answers(organisations: int, seed: int = 20250101) -> pd.DataFrame:
    """The tidy answer frame: one row per answer, response-level columns attached."""
    rng = np.random.default_rng(seed)
    items = scoring()
    sector = rng.choice(SECTORS, organisations, p=[0.2, 0.15, 0.15, 0.12, 0.1, 0.1, 0.1, 0.08])
    region = rng.choice(REGIONS, organisations)
    size = rng.choice(SIZES, organisations, p=[0.45, 0.35, 0.15, 0.05])
    org_level = rng.normal(0, 0.6, organisations)
    domain_level = rng.normal(0, 0.3, DOMAINS)

    n_responses = organisations * YEARS
    org = np.tile(np.arange(organisations), YEARS)
    wave = np.repeat(np.arange(YEARS), organisations)
    item = np.tile(np.arange(ITEMS), n_responses)
    response = np.repeat(np.arange(n_responses), ITEMS)
    latent = (
        2.0
        + org_level[org][response]
        + domain_level[item // 10]
        + 0.08 * wave[response]
        + rng.normal(0, 0.8, n_responses * ITEMS)
    )
    value = np.clip(np.round(latent), 0, 4)
    reverse = np.array([i.reverse for i in items])[item]
    value = np.where(reverse, 4 - value, value)
    value[rng.random(value.size) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "response_id": response,
            "item_key": np.array([i.key for i in items], dtype=object)[item],
            "value": value,
            "year": 2021 + wave[response],
            "wave": wave[response],
            "organisation_id": org[response],
            "sector": sector[org][response],
            "region": region[org][response],
            "size_class": size[org][response],
        }
    )


def regional_monitor(frame: pd.DataFrame, items: list[ItemScoring], k: int = 5) -> dict[str, float]:
    """Run the monitor's statistics; return the seconds of each step."""
    timings: dict[str, float] = {}

    def step(name: str, run: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = run()
        timings[name] = time.perf_counter() - started
        return result

    scores = step("domain scores", lambda: domain_scores(frame, items=items).to_frame())
    step("descriptives", lambda: describe_means(scores, by=["domain", "year"], k=k))
    step("change + Holm", lambda: change_by_domain(scores, k=k))
    step(
        "cross-tables",
        lambda: (
            crosstab(
                scores,
                rows="sector",
                columns="region",
                value_col="score",
                by=["domain", "year"],
                k=k,
            ),
            crosstab(
                scores.drop_duplicates("response_id"),
                rows="sector",
                columns="size_class",
                by="year",
                k=k,
            ),
        ),
    )
    return timings


def best_of(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(quick: bool = False) -> None:
    organisations = 200 if quick else 2_000
    items = scoring()
    frame = synthetic_answers(organisations)
    print(
        f"answers: {len(frame):,} ({YEARS} years x {organisations:,} organisations x {ITEMS} items)"
    )

    baseline = best_of(lambda: frame.groupby(["item_key"])[["value"]].mean(), repeat=7)
    print(f"baseline groupby(['item_key']).mean(): {baseline:.3f} s")

    timings = regional_monitor(frame, items)
    total = sum(timings.values())
    for name, seconds in timings.items():
        print(f"  {name:<15} {seconds:7.2f} s  ({seconds / baseline:6.1f}x baseline)")
    print(f"regional monitor: {total:.2f} s = {total / baseline:.0f}x baseline")

    scores = domain_scores(frame, items=items).to_frame()
    one_domain = scores[scores["domain"] == items[0].domain]
    started = time.perf_counter()
    change = change_over_waves(one_domain)
    mixed = time.perf_counter() - started
    units = one_domain["organisation_id"].nunique()
    print(
        f"MixedLM, one domain ({len(one_domain):,} scores, {units:,} units): {mixed:.2f} s "
        f"= {mixed / baseline:.0f}x baseline (method {change.method})"
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
