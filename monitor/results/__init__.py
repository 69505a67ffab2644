"""Results in the browser, built on the same contexts as the PDFs in ``monitor.reports``.

- ``monitor_page``: the regional monitor as a web page (``/coordinator/monitor/<year>``), rendered
  from the very context the PDF gets, kept per year and k by ``monitor_cache``;
- ``employer_page``: an employer's own results over the years (``/employer/results``), from the
  company report's builders;
- ``round*``: the results of a round (``/coordinator/campaigns/<id>/results``), on the same
  analysis and disclosure functions as the PDFs.
"""
