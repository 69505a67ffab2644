import math

from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.frame import answer_frame
from surveys.models import Answer, Response, ResponseStatus


def test_answer_frame_is_long_with_response_columns_and_numeric_values(version, organisation):
    from datetime import date

    campaign = create_campaign(
        version, title="T", year=2024, wave=1, opens_on=date(2024, 1, 1),
        closes_on=date(2024, 2, 1), mode="open",
    )  # fmt: skip
    done = Response(campaign=campaign, status=ResponseStatus.SUBMITTED, respondent_group="docenten",
                    organisation_id=organisation.id, panel_key="p1")  # fmt: skip
    busy = Response(campaign=campaign, status=ResponseStatus.IN_PROGRESS)
    db.session.add_all([done, busy])
    db.session.flush()
    db.session.add_all(
        [Answer(response_id=done.id, item_key=k, value=v)
         for k, v in {"a": "4", "b": "weet_niet", "c": "Zuyd", "d": "2.5"}.items()]
        + [Answer(response_id=busy.id, item_key="a", value="1")]
    )  # fmt: skip
    db.session.commit()
    frame = answer_frame(instrument="mini")
    assert list(frame["item_key"]) == ["a", "b", "c", "d"]  # the unfinished response is left out
    row = frame.iloc[0]
    assert (row.year, row.wave, row.respondent_group, row.sector, row.panel_key) == (
        2024, 1, "docenten", "bouw", "p1",
    )  # fmt: skip
    values = list(frame["value"])
    assert values[0] == 4.0 and values[3] == 2.5
    assert math.isnan(values[1]) and math.isnan(values[2])  # a missing code is never a number
    assert answer_frame(instrument="other").empty
    assert len(answer_frame(years=[2023])) == 0
