"""The respondent pages: personal links /s/<token>, open links /a/<slug> (resumed at /r/<token>)
and the page flow they share with the employer's HR-scan.

Every page is saved when the respondent moves on (next or back); the last page submits once.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from surveys.campaigns import find_invitation
from surveys.db import db, lock_for_writing, reads_first
from surveys.definition.fields import make_choices
from surveys.definition.forms import PageForms, hidden_answer_keys
from surveys.definition.messages import translate
from surveys.definition.structure import sections_for_group
from surveys.i18n import current_language, ui
from surveys.models import Campaign, CampaignMode, Response, ResponseStatus
from surveys.open_start import start_key, start_once
from surveys.published import campaign_forms
from surveys.responses import (
    WITH_VERSION_HASH,
    CampaignTerms,
    Visit,
    find_by_resume_token,
    find_personal,
    response_for_invitation,
    save_answers,
    save_page,
    stored_answers,
    submit,
)

bp = Blueprint("respond", __name__)


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals["ui"] = ui


def _message(title_key: str, text_key: str, lang: str, status: int, **values):
    page = render_template(
        "surveys/message.html",
        title=ui(title_key, lang),
        text=ui(text_key, lang, **values),
        lang=lang,
        page_lang=lang,
    )
    return page, status


def closed_page(campaign: Campaign | CampaignTerms, lang: str):
    """The page for a campaign that takes no answers today, or None when it does."""
    today = date.today()
    if campaign.is_accepting(today):
        return None
    if campaign.status == "draft" or today < campaign.opens_on:
        return _message(
            "not_yet_title", "not_yet", lang, 403, opens=campaign.opens_on.strftime("%d-%m-%Y")
        )
    return _message(
        "closed_title", "closed", lang, 410, closes=campaign.closes_on.strftime("%d-%m-%Y")
    )


def page_url(page: int) -> str:
    """The address of `page` of the questionnaire at this request's address (a page flow stays
    on its own address; cheaper than building it with `url_for` on every save)."""
    return f"{request.script_root}{request.path}?p={page}"


def posted_page() -> int | None:
    """The page a POST was rendered for: the form's own `_page` field (a name no item key can
    have), else the address's `?p=`; None when the post names neither."""
    page = request.form.get("_page", type=int)
    return page if page is not None else request.args.get("p", type=int)


def page_flow(
    visit: Visit,
    *,
    group: str | None,
    start: Callable[[], Response],
    after_submit: str | None = None,
):
    """Show or save one page of the questionnaire at this request's address.

    `visit.response` is None until the first page is saved: looking at a page never writes, the
    first POST creates the response with `start()`. A POST reads and validates first and takes the
    write lock only for its writes (see `lock_for_writing`); views that use this are `reads_first`.

    A POST is saved for the page its form was rendered for (`posted_page`), whichever page the
    response is on now (a second tab, a colleague on an employer scan): any page up to the
    furthest one reached. A post for a page beyond that, or naming no page while the response
    exists, is refused with a message; after the submit, a post that would change an answer
    says it was not saved.
    """
    campaign, response, stored = visit.campaign, visit.response, visit.stored
    lang = current_language(response.language if response else "nl")
    forms = campaign_forms(campaign)
    definition = forms.definition
    pages = sections_for_group(definition, group)
    posting = request.method == "POST"
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        unsaved = _unsaved(campaign, forms, pages, stored, lang)
        return _done(campaign, forms, pages, stored, lang, after_submit, unsaved)
    closed = closed_page(campaign, lang)
    if closed is not None:
        return closed
    if not pages:
        abort(404)  # no page for this respondent group
    reached = min(response.current_page if response else 0, len(pages) - 1)
    if posting:
        page = posted_page()
        if page is None and response is None:
            page = 0  # the only page a form can have been shown for
        if page is None or not 0 <= page <= reached:
            return _page(campaign, forms, pages, reached, lang, stored, None, "not_saved_page")
    else:
        page = request.args.get("p", type=int, default=reached)
        if not 0 <= page <= reached:
            return redirect(page_url(reached))
    last = page == len(pages) - 1
    form = forms.build(
        pages[page], lang, campaign.wave, stored, formdata=request.form if posting else None
    )
    if posting:
        action = request.form.get("nav", "next")
        valid = form.validate()
        if action == "back" or valid:
            values = form.values_to_store()
            if not valid:  # going back keeps every valid answer and drops nothing stored
                values = {k: v for k, v in values.items() if k not in form.errors}
            if response is None:
                lock_for_writing()
                response_id = start().id
            else:
                response_id = response.id
            target = max(page - 1, 0) if action == "back" else (page if last else page + 1)
            if not save_page(response_id, target, lang, values, stored):  # submitted meanwhile
                db.session.rollback()
                answers = stored_answers(response_id)
                unsaved = _changes(values, answers)
                return _done(campaign, forms, pages, answers, lang, after_submit, unsaved)
            if action == "back" or not last:
                db.session.commit()
                return redirect(page_url(target))
            lock_for_writing()  # the submit's writes are one transaction
            drop = hidden_answer_keys(definition, stored_answers(response_id), group)
            save_answers(response_id, dict.fromkeys(drop))
            submit(response_id)
            db.session.commit()
            return redirect(page_url(page))
    return _page(campaign, forms, pages, page, lang, stored, form)


def _page(
    campaign: CampaignTerms,
    forms: PageForms,
    pages: Sequence[Mapping[str, Any]],
    page: int,
    lang: str,
    stored: Mapping[str, str],
    form: Any | None,
    notice: str | None = None,
):
    """The questionnaire page `page` with `form` (a fresh one from `stored` when None); with a
    `notice` (a `ui` key) it answers a refused post: 409, the page the response is on."""
    if form is None:
        form = forms.build(pages[page], lang, campaign.wave, stored, formdata=None)
    rendered = render_template(
        "surveys/page.html",
        title=translate(forms.definition["title"], lang),
        section=pages[page],
        section_title=translate(pages[page].get("title"), lang),
        section_intro=translate(pages[page].get("intro"), lang),
        form=form,
        page=page,
        total=len(pages),
        last=page == len(pages) - 1,
        notice=notice and ui(notice, lang),
        lang=lang,
        page_lang=lang,
    )
    return (rendered, 409) if notice else rendered


#: posted fields that are no answer
_NOT_ANSWERS = frozenset({"_page", "nav", "csrf_token"})


def _changes(values: Mapping[str, str | None], stored: Mapping[str, str]) -> bool:
    """Whether storing `values` would change any of the `stored` answers."""
    return any(stored.get(key) != value for key, value in values.items())


def _unsaved(
    campaign: CampaignTerms,
    forms: PageForms,
    pages: Sequence[Mapping[str, Any]],
    stored: Mapping[str, str],
    lang: str,
) -> bool:
    """Whether this request is a POST to a submitted response that would have changed an answer
    (a double click on "Versturen" changes none); a post that names no page of the
    questionnaire counts when it holds any answer field."""
    if request.method != "POST":
        return False
    page = posted_page()
    if page is None or not 0 <= page < len(pages):
        return not _NOT_ANSWERS.issuperset(request.form)
    form = forms.build(pages[page], lang, campaign.wave, stored, formdata=request.form)
    return _changes(form.values_to_store(), stored)


def _done(
    campaign: CampaignTerms,
    forms: PageForms,
    pages: Sequence[Mapping[str, Any]],
    stored: Mapping[str, str],
    lang: str,
    after_submit: str | None,
    unsaved: bool,
):
    """The read-back page of a submitted response; `unsaved`: the post that led here changed
    an answer, which was not saved (the response had been submitted before it arrived)."""
    read_back = [
        (
            translate(section.get("title"), lang),
            forms.build(section, lang, campaign.wave, stored, formdata=None),
        )
        for section in pages
    ]
    return render_template(
        "surveys/done.html",
        title=translate(forms.definition["title"], lang),
        forms=read_back,
        after_submit=after_submit,
        notice=ui("not_saved_submitted", lang) if unsaved else None,
        lang=lang,
        page_lang=lang,
    )


@bp.route("/s/<token>", methods=["GET", "POST"])
@reads_first
def personal(token: str):
    visit = find_personal(token)
    if visit is None:
        return _message("unknown_title", "unknown", current_language(), 404)
    if visit.campaign.mode != CampaignMode.PERSONAL:
        abort(404)
    return page_flow(
        visit,
        group=visit.invitation.respondent_group,
        start=lambda: response_for_invitation(visit.invitation),
    )


class OptOutForm(FlaskForm):
    pass


@bp.route("/s/<token>/afmelden", methods=["GET", "POST"])
def opt_out(token: str):
    lang = current_language()
    invitation = find_invitation(token)
    if invitation is None:
        return _message("unknown_title", "unknown", lang, 404)
    form = OptOutForm()
    if form.validate_on_submit():
        invitation.opted_out = True
        db.session.commit()
        return _message("optout_title", "optout_done", lang, 200)
    return render_template("surveys/optout.html", form=form, lang=lang, page_lang=lang)


def _open_campaign(slug: str) -> Campaign:
    campaign = db.session.scalar(
        db.select(Campaign).where(Campaign.slug == slug).options(WITH_VERSION_HASH)
    )
    if campaign is None or campaign.mode != CampaignMode.OPEN:
        abort(404)
    return campaign


@bp.route("/a/<slug>", methods=["GET", "POST"])
def open_link(slug: str):
    campaign = _open_campaign(slug)
    lang = current_language()
    closed = closed_page(campaign, lang)
    if closed is not None:
        return closed
    definition = campaign_forms(campaign).definition
    groups = [
        (g["key"], translate(g["label"], lang))
        for g in definition.get("respondent_groups", [])
        if g["key"] in campaign.respondent_groups
    ]

    class StartForm(FlaskForm):
        group = RadioField(
            ui("choose_group", lang), choices=make_choices(groups),
            validators=[InputRequired(ui("choose_group_error", lang))],
        )  # fmt: skip

    form = StartForm(data={"group": groups[0][0]} if len(groups) == 1 else None)
    if form.validate_on_submit():
        token = start_once(campaign, form.group.data, lang)
        db.session.commit()
        return redirect(url_for("respond.resume", token=token, p=0, new=1))
    start_key()  # made with the page, so that both clicks of a double click carry it
    return render_template(
        "surveys/landing.html",
        campaign=campaign,
        title=translate(definition["title"], lang),
        description=translate(definition.get("description"), lang),
        form=form,
        several_groups=len(groups) > 1,
        lang=lang,
        page_lang=lang,
    )


@bp.route("/r/<token>", methods=["GET", "POST"])
@reads_first
def resume(token: str):
    visit = find_by_resume_token(token)
    if visit is None:
        return _message("unknown_title", "unknown", current_language(), 404)
    return page_flow(
        visit,
        group=visit.response.respondent_group,
        start=lambda: visit.response,
    )
