"""No state change on GET (DESIGN.md section 6): every GET and HEAD of `app.url_map`, filled with
existing ids, tokens and slugs, leaves every table as it was. Only `audit_events` may grow: views
of personal data are logged on purpose.

A personal link and the employer's scan are the routes most tempted to write on GET (the response
row); a mail scanner that prefetches the link must not count the invitee as "started".
"""

from tests.security.conftest import (
    call,
    role_for,
    row_counts,
    server_error,
    sign_in,
    table_contents,
    urls_of,
)

ALLOWED_TO_GROW = ("audit_events",)


def test_get_and_head_change_nothing_on_any_route(app, site):
    clients = {}
    for role in ("admin", "employer"):
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    rules = sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods),
        key=lambda r: (r.rule, r.endpoint),
    )
    before = table_contents(exclude=ALLOWED_TO_GROW)
    problems: list[str] = []
    walked: set[str] = set()
    for rule in rules:
        client = clients[role_for(rule)]
        for url in urls_of(site, rule):
            for method in ("GET", "HEAD"):
                counts = row_counts(exclude=ALLOWED_TO_GROW)
                response = call(client, method, url)
                if error := server_error(response):
                    problems.append(f"{method} {url}: {error}")
                    break
                if (after := row_counts(exclude=ALLOWED_TO_GROW)) != counts:
                    changed = sorted(t for t in counts if counts[t] != after[t])
                    problems.append(f"{method} {url}: changed the row counts of {changed}")
                walked.add(rule.endpoint)
                if not response.mimetype.startswith("text/"):
                    break  # a PDF or a download: HEAD runs the same view, only slower to repeat
    assert problems == []
    assert table_contents(exclude=ALLOWED_TO_GROW) == before, "a GET changed stored data"
    assert walked == {r.endpoint for r in rules}
    assert {"respond.personal", "employer.scan", "console.organisation"} <= walked


def test_opening_a_personal_link_never_opened_before_changes_nothing(client, small_site):
    before = table_contents()

    response = client.get(f"/s/{small_site.personal_token}")

    assert response.status_code == 200
    assert table_contents() == before


def test_opening_an_employer_scan_not_started_yet_changes_nothing(client, small_site):
    sign_in(client, "employer")
    employer_campaign = small_site.values["campaign_id"][2]
    before = table_contents(exclude=ALLOWED_TO_GROW)

    response = client.get(f"/employer/scan/{employer_campaign}")

    assert response.status_code == 200
    assert table_contents(exclude=ALLOWED_TO_GROW) == before
