from surveys.db import db
from surveys.models import Campaign, Invitation, OutboxMail


def _create(runner, *extra):
    return runner.invoke(
        args=["campaigns", "create", "--instrument", "mini", "--title", "Meting 2025",
              "--year", "2025", "--opens", "2025-03-01", "--closes", "2025-04-01",
              "--mode", "personal", *extra]
    )  # fmt: skip


def test_create_open_invite_remind_close_from_the_command_line(runner, version, tmp_path):
    result = _create(runner)
    assert result.exit_code == 0, result.output
    assert "created campaign 1 'mini-2025-0' (mini v1)" in result.output
    assert runner.invoke(args=["campaigns", "open", "1"]).exit_code == 0
    people = tmp_path / "people.csv"
    people.write_text("email,name,respondent_group\na@x.example,An,studenten\n")
    result = runner.invoke(args=["campaigns", "invite", "1", "--csv", str(people)])
    assert result.exit_code == 0, result.output
    assert "1 invitees added" in result.output and "1 invitations queued" in result.output
    assert "1 console" in result.output
    result = runner.invoke(args=["campaigns", "remind", "1"])
    assert "1 reminders queued" in result.output
    assert runner.invoke(args=["campaigns", "close", "1"]).exit_code == 0
    assert db.session.get(Campaign, 1).status == "closed"
    assert "submitted     0" in runner.invoke(args=["campaigns", "list"]).output


def test_invite_with_a_bad_csv_imports_nothing_and_names_the_lines(runner, version, tmp_path):
    _create(runner)
    runner.invoke(args=["campaigns", "open", "1"])
    people = tmp_path / "people.csv"
    people.write_text("email,respondent_group\ngood@x.example,studenten\nbad,studenten\n")
    result = runner.invoke(args=["campaigns", "invite", "1", "--csv", str(people)])
    assert result.exit_code == 1
    assert f"{people}: regel 3: 'bad' is geen geldig e-mailadres" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)) == 0


def test_campaign_commands_explain_what_is_wrong(runner, version):
    assert "no published instrument 'nope'" in runner.invoke(
        args=["campaigns", "create", "--instrument", "nope", "--title", "x", "--year", "2025",
              "--opens", "2025-03-01", "--closes", "2025-04-01", "--mode", "open"]
    ).output  # fmt: skip
    assert "campaign 9 does not exist" in runner.invoke(args=["campaigns", "open", "9"]).output
    result = _create(runner, "--slug", "Bad Slug!")
    assert result.exit_code == 1 and "slug" in result.output
