"""The candidates for the sprints of one year: each company's profile, consent, chosen themes
and domain scores, the bottom-third and top-quartile cut-offs per theme, and what "a similar
profile" means (the features the grouping clusters on)."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial.distance import pdist

from scans.answers import closing_answers, plain_float, scan_scores
from scans.instrument import Definition, domain_titles
from scans.wording import join_nl

LOW_SHARE = 1 / 3  #: the bottom third on a theme makes a company a candidate
HIGH_QUANTILE = 0.75  #: the top quartile on a theme makes a consenting company a koploper
#: weight of a shared sector, region or size class against standardised domain scores
PROFILE_WEIGHT = 1.5
PROFILE_COLUMNS = ("sector", "region", "size_class")


@dataclass(frozen=True)
class ThemeCutoffs:
    """Per theme: its title and cut-offs (None when fewer than k companies have a score)."""

    key: str
    title: str
    low: float | None  #: bottom-third cut-off
    high: float | None  #: top-quartile cut-off


def _companies(scans: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """One row per company (index organisation_id, sorted): profile, consent, chosen themes and
    a score column per domain."""
    wide = scan_scores(scans, definition).pivot(
        index="organisation_id", columns="domain", values="score"
    )
    closing = closing_answers(scans, definition)[["consent", "themes"]]
    per_scan = scans.drop_duplicates("response_id").set_index("response_id")
    profile = per_scan[["organisation_id", *PROFILE_COLUMNS]].join(closing)
    companies = profile.set_index("organisation_id").join(wide).sort_index()
    companies.index = companies.index.astype(int)
    return companies


def _cutoffs(key: str, title: str, scores: pd.Series, k: int) -> ThemeCutoffs:
    """The theme's bottom-third and top-quartile cut-offs over all companies of the year."""
    values = scores.dropna().to_numpy(dtype=float)
    if len(values) < k:
        return ThemeCutoffs(key, title, None, None)
    low, high = np.quantile(values, [LOW_SHARE, HIGH_QUANTILE])
    return ThemeCutoffs(key, title, float(low), float(high))


def _features(companies: pd.DataFrame, domains: list[str]) -> pd.DataFrame:
    """What "a similar profile" means: standardised domain scores (a missing score counts as
    the mean) and sector, region and size class, one-hot and weighted."""
    scores = companies[domains].astype(float)
    spread = scores.std(ddof=0).replace(0.0, 1.0).fillna(1.0)
    standardised = ((scores - scores.mean()) / spread).fillna(0.0)
    profile = pd.get_dummies(companies[list(PROFILE_COLUMNS)], dtype=float) * PROFILE_WEIGHT
    return pd.concat([standardised, profile], axis=1)


@dataclass(frozen=True)
class Candidates:
    """Everything the grouping of one year needs, with the rules that make a company a
    candidate (chose the theme, bottom third) or a koploper (top quartile, consent)."""

    companies: pd.DataFrame
    themes: dict[str, ThemeCutoffs]
    wanted: list[str]
    exclude: set[int]
    min_size: int
    max_size: int
    year: int
    features: pd.DataFrame  #: one row per company: standardised scores, weighted profile
    domains: list[str]  #: all domains of the instrument (score columns of features)
    similar_scores: float  #: median distance between two companies' standardised scores

    def score(self, org: int, key: str) -> float | None:
        """The company's score on a domain, None without one."""
        return plain_float(self.companies.at[org, key])

    def chose(self, org: int, key: str) -> bool:
        """Whether the company chose the theme for a sprint."""
        return key in self.companies.at[org, "themes"]

    def is_low(self, org: int, key: str) -> bool:
        """In the bottom third of the year on the theme (never without cut-offs)."""
        score, cutoff = self.score(org, key), self.themes[key].low
        return score is not None and cutoff is not None and score <= cutoff

    def is_high(self, org: int, key: str) -> bool:
        """In the top quartile of the year on the theme (never without cut-offs)."""
        score, cutoff = self.score(org, key), self.themes[key].high
        return score is not None and cutoff is not None and score >= cutoff

    def by_score(self, orgs: Iterable[int], key: str, *, best_first: bool) -> list[int]:
        """Companies ordered by their score on a theme (missing scores last, then by id)."""
        sign = -1.0 if best_first else 1.0
        return sorted(
            orgs,
            key=lambda org: (
                self.score(org, key) is None,
                sign * (self.score(org, key) or 0.0),
                org,
            ),
        )

    def high_scorers(self, key: str) -> list[int]:
        """Consenting companies, not excluded, in the top quartile on a theme: best first."""
        found = [
            org
            for org in self.companies.index
            if self.companies.at[org, "consent"]
            and org not in self.exclude
            and self.is_high(org, key)
        ]
        return self.by_score(found, key, best_first=True)

    def theme_names(self, keys: Iterable[str]) -> str:
        """Theme titles in a sentence: "‘A’, ‘B’ en ‘C’"."""
        return join_nl([quoted(self.themes[key].title) for key in keys])


def quoted(title: str) -> str:
    """A theme title inside a sentence."""
    return f"‘{title}’"


def year_candidates(
    scans: pd.DataFrame,
    definition: Definition,
    *,
    year: int,
    themes: list[str],
    k: int,
    exclude: Collection[int],
    min_size: int,
    max_size: int,
) -> Candidates:
    """The candidates of the scans of one year (one scan per company, see latest_scans)."""
    titles = domain_titles(definition)
    companies = _companies(scans, definition)
    features = _features(companies, list(titles))
    scores = features[list(titles)].to_numpy()
    return Candidates(
        companies=companies,
        themes={key: _cutoffs(key, titles[key], companies[key], k) for key in themes},
        wanted=themes,
        exclude=set(exclude),
        min_size=min_size,
        max_size=max_size,
        year=year,
        features=features,
        domains=list(titles),
        similar_scores=float(np.median(pdist(scores))) if len(companies) > 1 else 0.0,
    )
