"""Change over waves (nulmeting = wave 0, follow-ups 1, 2, ...), with the design read from the data.

* Repeated cross-sections (anonymous surveys: no unit is seen in more than one wave): OLS
  ``score ~ C(wave)`` with HC3 standard errors.
* Panels (an organisation or a pseudonymous ``panel_key`` recurs across waves): a linear mixed model
  with a random intercept per unit, fitted on one score per unit and wave; when it raises or does
  not converge, OLS with errors clustered by unit, and the result says so. Panels also get paired
  differences between the first wave and each later wave for the units seen in both.

Each later wave is compared with the first (normally the nulmeting) with a confidence interval,
a p-value and Hedges' g of that same estimate (the model's difference over the pooled SD of the two
waves: a g never has another sign than the estimate it stands next to). With four or more waves
the linear trend is the least-squares slope through the model's wave means (per wave step), tested
as a linear contrast of the same fit; with three equally spaced waves it would be exactly half the
first-to-last contrast with the same p, so it is not reported.
"""

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLMParams
from statsmodels.tools.sm_exceptions import ModelWarning

from analysis.checks import as_names, check_confidence, check_k, numeric_values, require_frame
from analysis.descriptives import describe_means
from analysis.disclosure import ONE_SIDE, REASON, SUPPRESSED, mark_suppressed, suppress_small
from analysis.effect_size import hedges_g_of, hedges_g_paired
from analysis.multiple import holm
from analysis.result import TableResult

CROSS_SECTIONS = "repeated_cross_sections"
PANEL = "panel"
TREND = "linear trend"
#: the linear trend is reported from this many waves on (with three it repeats the last contrast)
MIN_TREND_WAVES = 4
_CONTRAST_VALUES = ["estimate", "se", "ci_low", "ci_high", "p", "hedges_g"]
_PAIRED_VALUES = ["mean_difference", "sd_difference", "ci_low", "ci_high", "p", "hedges_g"]
_PAIRED_COLUMNS = ["wave", "baseline_wave", "n_pairs", *_PAIRED_VALUES, SUPPRESSED, REASON]


@dataclass(frozen=True, eq=False)
class Change(TableResult):
    """Change of one score over waves.

    ``table`` (``to_frame()``): one row per later wave against the baseline and, with at least
    ``MIN_TREND_WAVES`` waves, one ``linear trend`` row: ``term, wave, baseline_wave, estimate,
    se, ci_low, ci_high, p, hedges_g, n_baseline, n_wave, suppressed, suppression_reason``.
    """

    design: str  #: "repeated_cross_sections" or "panel"
    method: str  #: "ols_hc3", "mixedlm" or "ols_cluster" (MixedLM fallback)
    unit_col: str | None  #: the column whose units recur across waves (panels only)
    note: str  #: why a fallback was used, or warnings of the fit; "" when none
    waves: pd.DataFrame  #: per wave: n, mean, sd, se, ci_low, ci_high (+ suppression columns)
    paired: pd.DataFrame  #: panels: paired differences first wave → each later wave; else empty


@dataclass(frozen=True, eq=False)
class DomainChange(TableResult):
    """Change for every domain of an instrument, Holm-corrected across domains per term.

    ``table``: the rows of each domain's :class:`Change` with a leading ``domain`` column and
    ``p_holm`` and ``significant`` (``p_holm < alpha``; False when not tested or suppressed).
    """

    changes: Mapping[str, Change]
    alpha: float


@dataclass(frozen=True)
class _Fit:
    params: np.ndarray
    cov: np.ndarray
    df: float | None  #: degrees of freedom of the t reference; None for the normal
    method: str
    note: str


def change_over_waves(
    frame: pd.DataFrame,
    *,
    score_col: str = "score",
    wave_col: str = "wave",
    unit_cols: str | Sequence[str] = ("panel_key", "organisation_id"),
    k: int = 5,
    confidence: float = 0.95,
    maxiter: int = 100,
) -> Change:
    """Estimate how a score changed from the first wave to each later wave, and its trend.

    ``frame`` holds one score per row (e.g. one domain of :func:`domain_scores`). The design is
    detected: the first of ``unit_cols`` present whose units appear in more than one wave makes it
    a panel; otherwise the waves are independent samples. ``maxiter`` caps the MixedLM optimiser so
    that a large panel stays bounded in time. Disclosure: a wave with fewer than ``k`` units is
    hidden, and so is every contrast or trend that involves it; paired differences need ``k``
    pairs.
    """
    check_k(k)
    check_confidence(confidence)
    if isinstance(maxiter, bool) or not isinstance(maxiter, int) or maxiter < 1:
        raise ValueError(f"maxiter must be a positive whole number, got {maxiter!r}")
    data, waves, unit_col = _scores_by_wave(frame, score_col, wave_col, as_names(unit_cols))
    y = data["score"].to_numpy()
    design = np.column_stack(
        [np.ones(len(y))] + [(data["wave"].to_numpy() == w).astype(float) for w in waves[1:]]
    )
    if unit_col is None:
        fit = _fit_ols(y, design, groups=None, method="ols_hc3", note="")
    else:
        fit = _fit_mixed(y, design, data["unit"].to_numpy(), unit_col=unit_col, maxiter=maxiter)

    waves_frame = describe_means(
        data, value_col="score", by="wave", k=k, confidence=confidence
    ).table
    table = _contrasts(fit, waves, waves_frame, confidence)
    paired = (
        _paired(data, waves, k=k, confidence=confidence)
        if unit_col is not None
        else pd.DataFrame(columns=_PAIRED_COLUMNS)
    )
    return Change(
        table=table,
        design=CROSS_SECTIONS if unit_col is None else PANEL,
        method=fit.method,
        unit_col=unit_col,
        note=fit.note,
        waves=waves_frame,
        paired=paired,
    )


def change_by_domain(
    frame: pd.DataFrame,
    *,
    domain_col: str = "domain",
    score_col: str = "score",
    wave_col: str = "wave",
    unit_cols: str | Sequence[str] = ("panel_key", "organisation_id"),
    k: int = 5,
    confidence: float = 0.95,
    alpha: float = 0.05,
    maxiter: int = 100,
) -> DomainChange:
    """Run :func:`change_over_waves` for every domain and Holm-correct across the domains.

    Testing eight domains at 5% each would flag a change somewhere by chance far too often; Holm
    keeps the chance of any false flag across the instrument's domains at ``alpha``. The family is
    one term (e.g. "wave 2 vs 0") over the domains where it is shown.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    require_frame(frame, columns=[domain_col], purpose="change_by_domain")
    changes: dict[str, Change] = {}
    for domain, rows in frame.groupby(domain_col, sort=False):
        try:
            changes[str(domain)] = change_over_waves(
                rows,
                score_col=score_col,
                wave_col=wave_col,
                unit_cols=unit_cols,
                k=k,
                confidence=confidence,
                maxiter=maxiter,
            )
        except ValueError as error:
            raise ValueError(f"domain {domain!r}: {error}") from error
    table = pd.concat(
        [change.table.assign(domain=domain) for domain, change in changes.items()],
        ignore_index=True,
    )
    table = table[["domain", *[c for c in table.columns if c != "domain"]]]
    table["p_holm"] = table.groupby("term", sort=False)["p"].transform(
        lambda p: pd.Series(holm(p.to_numpy()), index=p.index)
    )
    table["significant"] = (table["p_holm"] < alpha).to_numpy(dtype=bool)
    return DomainChange(table=table, changes=changes, alpha=alpha)


def _scores_by_wave(
    frame: pd.DataFrame, score_col: str, wave_col: str, unit_cols: list[str]
) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    """Check the input and return the scores to model (``score``, ``wave`` and, for a panel,
    ``unit``: one score per unit and wave), the waves in order, and the panel's unit column."""
    purpose = "change_over_waves"
    require_frame(frame, columns=[score_col, wave_col], purpose=purpose)
    data = pd.DataFrame(
        {
            "score": numeric_values(frame, score_col, purpose=purpose),
            "wave": numeric_values(frame, wave_col, purpose=purpose),
        }
    )
    candidates = [col for col in unit_cols if col in frame.columns]
    for col in candidates:
        data[col] = frame[col].to_numpy()
    data = data[data["score"].notna() & data["wave"].notna()]
    if data.empty:
        raise ValueError(f"{purpose}: no scores (every {score_col!r} or {wave_col!r} is missing)")
    if ((data["wave"] % 1 != 0) | (data["wave"] < 0)).any():
        raise ValueError(f"{purpose}: {wave_col!r} must hold whole numbers >= 0 (0 = nulmeting)")
    data["wave"] = data["wave"].astype(np.int64)
    waves = np.sort(data["wave"].unique())
    if len(waves) < 2:
        raise ValueError(
            f"{purpose}: only one wave ({waves[0]}) has scores; change needs at least two"
        )

    unit_col = _recurring_unit(data, candidates)
    if unit_col is not None:
        data = _per_unit_and_wave(data, unit_col)
    if np.ptp(data["score"].to_numpy()) == 0:
        raise ValueError(f"{purpose}: no variance: every score is the same")
    if unit_col is not None and data["unit"].nunique() < 2:
        raise ValueError(f"{purpose}: a panel needs at least 2 units ({unit_col!r})")
    if len(data) <= len(waves):
        raise ValueError(f"{purpose}: {len(data)} scores are too few to compare {len(waves)} waves")

    return data, waves, unit_col


def _recurring_unit(data: pd.DataFrame, candidates: list[str]) -> str | None:
    """The first candidate unit column whose units appear in more than one wave."""
    for col in candidates:
        seen = data[[col, "wave"]].dropna().drop_duplicates()
        if seen[col].duplicated().any():
            return col
    return None


def _per_unit_and_wave(data: pd.DataFrame, unit_col: str) -> pd.DataFrame:
    """One score per unit and wave (the mean when a unit answered more than once in a wave).

    A row without a unit counts as a unit of its own.
    """
    unit, _ = pd.factorize(data[unit_col], sort=False)
    missing = unit < 0
    unit[missing] = unit.max(initial=-1) + 1 + np.arange(missing.sum())
    per = pd.DataFrame({"unit": unit, "wave": data["wave"].to_numpy(), "score": data["score"]})
    return per.groupby(["unit", "wave"], as_index=False, sort=True)["score"].mean()


def _fit_ols(
    y: np.ndarray, design: np.ndarray, *, groups: np.ndarray | None, method: str, note: str
) -> _Fit:
    """OLS with HC3 errors, or with errors clustered by ``groups``."""
    model = sm.OLS(y, design)
    if groups is None:
        with np.errstate(divide="ignore", invalid="ignore"):  # a wave of one: leverage 1
            result = model.fit(cov_type="HC3", use_t=True)
        df = float(result.df_resid)
    else:
        result = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        df = float(len(np.unique(groups)) - 1)
    return _Fit(np.asarray(result.params), np.asarray(result.cov_params()), df, method, note)


def _fit_mixed(
    y: np.ndarray, design: np.ndarray, units: np.ndarray, *, unit_col: str, maxiter: int
) -> _Fit:
    """MixedLM with a random intercept per unit; OLS clustered by unit when it fails."""
    fallback = f"fell back to OLS with errors clustered by {unit_col}"
    try:
        # The optimiser probes extreme variances: silence numpy's floating-point chatter there.
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            result = sm.MixedLM(y, design, groups=units).fit(
                reml=True,
                method="lbfgs",
                maxiter=maxiter,
                start_params=_moment_start(y, design, units),
            )
    except (np.linalg.LinAlgError, ValueError, ArithmeticError) as error:
        reason = f"MixedLM raised {type(error).__name__} ({error}); {fallback}"
        return _fit_ols(y, design, groups=units, method="ols_cluster", note=reason)
    for caught_warning in caught:
        if not issubclass(caught_warning.category, ModelWarning):
            warnings.warn(caught_warning.message, caught_warning.category, stacklevel=2)
    n_fixed = design.shape[1]
    cov = np.asarray(result.cov_params())[:n_fixed, :n_fixed]
    if not result.converged:
        reason = f"MixedLM did not converge within {maxiter} iterations; {fallback}"
        return _fit_ols(y, design, groups=units, method="ols_cluster", note=reason)
    if not (np.diag(cov) > 0).all():
        reason = f"MixedLM gave no standard errors; {fallback}"
        return _fit_ols(y, design, groups=units, method="ols_cluster", note=reason)
    messages = dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, ModelWarning))
    return _Fit(np.asarray(result.fe_params), cov, None, "mixedlm", "; ".join(messages))


def _moment_start(y: np.ndarray, design: np.ndarray, units: np.ndarray) -> MixedLMParams | None:
    """Starting values from OLS and the one-way ANOVA estimate of the unit variance.

    Starting near the optimum roughly halves the number of (costly, per-unit) likelihood
    evaluations on large panels. None when there is no within-unit replication to estimate from.
    """
    fixed = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ fixed
    count = np.bincount(units).astype(float)
    total = np.bincount(units, weights=residual)
    square = np.bincount(units, weights=residual**2)
    present = count > 0
    df_within = len(y) - present.sum()
    if df_within <= 0:
        return None
    within = (square[present] - total[present] ** 2 / count[present]).sum() / df_within
    if not within > 0:
        return None
    means = total[present] / count[present]
    between = means.var(ddof=1) - within * (1 / count[present]).mean()
    ratio = max(between / within, 0.01)  # MixedLM scales the unit variance by the residual one
    return MixedLMParams.from_components(fe_params=fixed, cov_re=np.array([[ratio]]))


def _contrasts(
    fit: _Fit, waves: np.ndarray, waves_frame: pd.DataFrame, confidence: float
) -> pd.DataFrame:
    """Each later wave against the first, and the linear trend, from one fitted model."""
    later = len(waves) - 1
    with_trend = len(waves) >= MIN_TREND_WAVES
    centred = waves - waves.mean()
    trend = np.concatenate([[0.0], centred[1:] / (centred**2).sum()])
    weights = np.vstack([np.eye(later + 1)[1:], trend]) if with_trend else np.eye(later + 1)[1:]
    estimate = weights @ fit.params
    reference = stats.norm if fit.df is None else stats.t(fit.df)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.einsum("ij,jk,ik->i", weights, fit.cov, weights))
        p = 2 * reference.sf(np.abs(estimate / se))
    half = reference.ppf(0.5 + confidence / 2) * se

    per_wave = waves_frame.set_index("wave")
    base = per_wave.loc[waves[0]]
    rest = per_wave.loc[waves[1:]]
    extra = [np.nan] if with_trend else []
    g = hedges_g_of(estimate[:later], base["sd"], base["n"], rest["sd"], rest["n"])
    table = pd.DataFrame(
        {
            "term": [f"wave {w} vs {waves[0]}" for w in waves[1:]]
            + ([TREND] if with_trend else []),
            "wave": pd.array([*waves[1:], *([None] if with_trend else [])], dtype="Int64"),
            "baseline_wave": int(waves[0]),
            "estimate": estimate,
            "se": se,
            "ci_low": estimate - half,
            "ci_high": estimate + half,
            "p": p,
            "hedges_g": np.append(g, extra),
            "n_baseline": np.append(np.full(later, base["n"]), extra),
            "n_wave": np.append(rest["n"].to_numpy(), extra),
        }
    )
    hidden_wave = per_wave["suppressed"].to_numpy(dtype=bool)
    hidden = hidden_wave[0] | hidden_wave[1:]
    if with_trend:
        hidden = np.append(hidden, hidden_wave.any())
    return mark_suppressed(table, hidden, reason=ONE_SIDE, value_cols=_CONTRAST_VALUES)


def _paired(data: pd.DataFrame, waves: np.ndarray, *, k: int, confidence: float) -> pd.DataFrame:
    """Paired differences first wave → each later wave, for the units seen in both."""
    by_unit = data.pivot(index="unit", columns="wave", values="score")
    rows = []
    for wave in waves[1:]:
        both = by_unit[[waves[0], wave]].dropna()
        difference = both[wave] - both[waves[0]]
        n = len(difference)
        mean, sd = difference.mean(), difference.std()
        with np.errstate(invalid="ignore", divide="ignore"):
            se = sd / np.sqrt(n)
            half = stats.t.ppf(0.5 + confidence / 2, n - 1) * se
            p = 2 * stats.t.sf(abs(mean / se), n - 1)
        rows.append(
            {
                "wave": int(wave),
                "baseline_wave": int(waves[0]),
                "n_pairs": n,
                "mean_difference": mean,
                "sd_difference": sd,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "p": p,
                "hedges_g": float(hedges_g_paired(mean, both[waves[0]].std(), both[wave].std(), n)),
            }
        )
    return suppress_small(pd.DataFrame(rows), n_cols="n_pairs", value_cols=_PAIRED_VALUES, k=k)
