// Shows and hides questions by their show_if rule while the respondent answers.
// Only an aid: the server decides again on submit, and everything works without this script.
(function () {
  "use strict";
  function valuesOf(form, key) {
    var out = [];
    form.querySelectorAll('[name="' + key + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") out.push(el.value);
    });
    return out;
  }
  function onPage(form, key) { return form.querySelector('[name="' + key + '"]') !== null; }
  function num(v) { var n = parseFloat(String(v).replace(",", ".")); return isNaN(n) ? null : n; }
  function test(form, c) {
    if (c.all) return c.all.every(function (x) { return test(form, x); });
    if (c.any) return c.any.some(function (x) { return test(form, x); });
    if (!onPage(form, c.item)) return true; // decided by the server from earlier pages
    var vals = valuesOf(form, c.item), v = c.value;
    switch (c.op) {
      case "answered": return vals.length > 0;
      case "equals": return vals.indexOf(String(v)) >= 0;
      case "not_equals": return vals.length > 0 && vals.indexOf(String(v)) < 0;
      case "in": return v.some(function (x) { return vals.indexOf(String(x)) >= 0; });
      default:
        if (!vals.length || num(vals[0]) === null) return false;
        var a = num(vals[0]), b = num(v);
        return c.op === "gt" ? a > b : c.op === "lt" ? a < b : c.op === "gte" ? a >= b : a <= b;
    }
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (el) {
      el.hidden = !test(form, JSON.parse(el.getAttribute("data-show-if")));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.questionnaire");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
    update(form);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
