"""The HR-scan domain: a company's profile and peer position, advice, and intervision sprints.

No web and no PDF: functions take the tidy answer frame (``surveys.frame.answer_frame``) and the
instrument definition and return frozen dataclasses of plain values, which the reports and pages
in ``monitor`` turn into text and charts. See docs/scans.md.

- ``company_profile`` (scans.profile): domain scores, peer benchmark, item maturity, change since
  the previous scan, chosen sprint themes, HR question, consent;
- ``advise`` (scans.advice): what goes well, what deserves attention, key messages, sprint themes
  and an agenda for the follow-up conversation;
- ``propose_groups`` (scans.sprints): sprint groups of 4-8 similar companies with a koploper;
- sprint operations (scans.operations) on the models in scans.models.

Import from those modules: this file stays empty so that importing one of them (the sprint
models, for the web app) does not load pandas and statsmodels with the rest.
"""
