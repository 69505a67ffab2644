"""The respondent pages' own words in Dutch and English (instrument texts carry their own)."""

from flask import request, session

LANGUAGES = ("nl", "en")

UI = {
    "next": ("Volgende", "Next"),
    "back": ("Vorige", "Back"),
    "submit": ("Versturen", "Submit"),
    "page_of": ("Stap {n} van {total}", "Step {n} of {total}"),
    "saved_note": (
        "Uw antwoorden worden bewaard zodra u verdergaat. U kunt stoppen en later met dezelfde "
        "link verdergaan.",
        "Your answers are saved when you move on. You can stop and continue later with the "
        "same link.",
    ),
    "errors_title": ("Controleer de volgende vragen", "Please check these questions"),
    "required": ("verplicht", "required"),
    "thanks_title": ("Bedankt!", "Thank you!"),
    "thanks": (
        "Uw antwoorden zijn verstuurd en opgeslagen. U kunt ze hieronder nog inzien; wijzigen "
        "kan niet meer.",
        "Your answers have been submitted and saved. You can still read them below; they can no "
        "longer be changed.",
    ),
    "your_answers": ("Uw antwoorden", "Your answers"),
    "to_report": ("Naar het rapport van uw organisatie", "To your organisation's report"),
    "closed_title": ("Deze vragenlijst is gesloten", "This questionnaire is closed"),
    "closed": (
        "De vragenlijst kon worden ingevuld tot en met {closes}. Er worden geen antwoorden "
        "meer aangenomen.",
        "The questionnaire could be completed until {closes}. No more answers are accepted.",
    ),
    "not_yet_title": ("Deze vragenlijst is nog niet geopend", "This questionnaire is not open yet"),
    "not_yet": (
        "U kunt de vragenlijst invullen vanaf {opens}.",
        "You can complete the questionnaire from {opens}.",
    ),
    "unknown_title": ("Deze link is onbekend", "This link is unknown"),
    "unknown": (
        "Controleer of u de volledige link uit de e-mail heeft gebruikt.",
        "Please check that you used the complete link from the e-mail.",
    ),
    "start": ("Beginnen", "Start"),
    "choose_group": ("Ik vul deze vragenlijst in als", "I complete this questionnaire as"),
    "choose_group_error": ("Kies een groep.", "Choose a group."),
    "resume_title": (
        "Bewaar deze link om later verder te gaan",
        "Keep this link to continue later",
    ),
    "optout_title": ("Afmelden voor herinneringen", "Stop reminders"),
    "optout_question": (
        "Wilt u geen herinneringen meer ontvangen voor deze vragenlijst?",
        "Do you want to stop receiving reminders for this questionnaire?",
    ),
    "optout_button": ("Ja, afmelden", "Yes, stop reminders"),
    "optout_done": (
        "U bent afgemeld. U ontvangt geen herinneringen meer.",
        "You will not receive any more reminders.",
    ),
    "language": ("English", "Nederlands"),
    "not_saved_page": (
        "Wat u net verstuurde is niet opgeslagen: het formulier hoorde niet bij een stap die "
        "deze vragenlijst al bereikt had. Hieronder staat de stap waar de vragenlijst nu is.",
        "What you just sent has not been saved: the form did not belong to a step this "
        "questionnaire had reached. Below is the step the questionnaire is at now.",
    ),
    "not_saved_submitted": (
        "Deze vragenlijst was al verstuurd voordat uw laatste wijziging binnenkwam; die "
        "wijziging is niet opgeslagen. Hieronder staan de verstuurde antwoorden.",
        "This questionnaire had already been submitted before your last change arrived; that "
        "change has not been saved. The submitted answers are shown below.",
    ),
}


def current_language(default: str = "nl") -> str:
    """?lang= on the request, else the language chosen earlier in this browser, else `default`."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    return session.get("lang", default) if session.get("lang") in LANGUAGES else default


def ui(key: str, lang: str, **values: object) -> str:
    text = UI[key][LANGUAGES.index(lang)]
    return text.format(**values) if values else text
