"""An employer's own results over the years: ``/employer/results``.

For every year the organisation submitted an HR-scan: its domain scores and its position among
its peers of that year; the change per domain since its first and since its previous scan; the
advice of its latest scan; a link to each year's report PDF. Built with the company report's
own builders (``company.profile_and_advice``, ``describe_peer_group``, ``domain_position``), so
page and PDF say the same; peer figures on fewer than k companies are hidden as in the PDF.

Only the visitor's own organisation: the view takes it from the account, never from the URL.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from flask import abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from monitor.accounts import Role
from monitor.roles import role_required
from scans.instrument import HR_SCAN
from surveys.db import db
from surveys.models import Campaign, Instrument, InstrumentVersion, Response, ResponseStatus

if TYPE_CHECKING:
    from scans.profile import CompanyProfile


def scan_years(organisation_id: int) -> list[int]:
    """The years in which the organisation submitted an HR-scan, oldest first."""
    return list(
        db.session.scalars(
            select(Campaign.year)
            .distinct()
            .join(Response, Response.campaign_id == Campaign.id)
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(
                Instrument.key == HR_SCAN,
                Response.organisation_id == organisation_id,
                Response.status == ResponseStatus.SUBMITTED,
            )
            .order_by(Campaign.year)
        )
    )


def build_employer_results(organisation_id: int, years: list[int], *, k: int) -> dict[str, Any]:
    """The results of ``organisation_id`` in each of ``years`` (plain values, JSON-ready).

    ``years`` lists it: one entry per year with a score, with ``domains`` (key, title, score,
    peer median, percentile rank, number of peers, position in words) and the peer group;
    ``changes`` per domain (first, previous and latest score); ``advice`` of the latest year.
    """
    from monitor.reports.company import (
        NoScan,
        describe_peer_group,
        load_scan_data,
        profile_and_advice,
    )

    results: list[dict[str, Any]] = []
    advice = None
    if years:
        data = load_scan_data(max(years), organisation_ids=[organisation_id])
        for year in years:
            try:
                profile, year_advice, _ = profile_and_advice(
                    dataclasses.replace(data, year=year), organisation_id, k=k
                )
            except NoScan:  # submitted, but no domain could be scored
                continue
            results.append(_year(profile, describe_peer_group(profile)))
            advice = dataclasses.asdict(year_advice)
    return {"k": k, "years": results, "changes": _changes(results), "advice": advice}


def _year(profile: CompanyProfile, peer_group: dict[str, Any]) -> dict[str, Any]:
    """One year's scores and peer positions (in words as the report says them)."""
    from monitor.reports.company import domain_position

    return {
        "year": profile.year,
        "peer_group": peer_group,
        "domains": [
            {
                "key": d.key,
                "title": d.title,
                "score": d.score,
                "median": d.peers.median,
                "q1": d.peers.q1,
                "q3": d.peers.q3,
                "percentile_rank": d.peers.percentile_rank,
                "n_peers": d.peers.n_peers,
                "peers": d.peers.description,
                "suppressed": d.peers.suppressed,
                "position": domain_position(d)["text"],
            }
            for d in profile.domains
        ],
    }


def _changes(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per domain of the latest year: its score then, at the first scan and at the previous."""
    if len(results) < 2:
        return []
    first, previous, latest = results[0], results[-2], results[-1]

    def score(year: dict[str, Any], key: str) -> float | None:
        return next((d["score"] for d in year["domains"] if d["key"] == key), None)

    return [
        {
            "key": d["key"],
            "title": d["title"],
            "first": score(first, d["key"]),
            "previous": score(previous, d["key"]),
            "latest": d["score"],
        }
        for d in latest["domains"]
    ]


@role_required(Role.EMPLOYER)
def results():
    """The organisation's own HR-scan results over the years (``/employer/results``, registered
    on the employer blueprint by ``monitor.employer``)."""
    from monitor.reports.bulk import EMPLOYER_RESULTS, employer_results_name
    from monitor.results.monitor_cache import kept

    organisation = current_user.organisation
    if organisation is None:
        abort(404)
    k = int(current_app.config["MONITOR_K_ANONYMITY"])
    years = scan_years(organisation.id)
    values = kept(
        EMPLOYER_RESULTS,
        employer_results_name(organisation.id, k),
        lambda: build_employer_results(organisation.id, years, k=k),
    )
    first_year = values["years"][0]["year"] if values["years"] else None
    previous_year = values["years"][-2]["year"] if len(values["years"]) > 1 else None
    return render_template(
        "results/employer_results.html",
        organisation=organisation,
        first_year=first_year,
        previous_year=previous_year,
        **values,
    )
