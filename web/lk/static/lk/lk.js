// The cabinet's forms: after a refused submit, move focus to the error summary so that screen
// readers announce it and keyboard users can follow its links to the fields (GOV.UK pattern).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
