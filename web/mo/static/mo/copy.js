// «Скопировать» for the freshly issued API token; without JavaScript the field is selectable by hand.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-target]");
  var field = document.getElementById(button ? button.getAttribute("data-copy-target") : "");
  var status = document.querySelector("[data-copy-status]");
  if (!button || !field) { return; }
  field.addEventListener("focus", function () { field.select(); });
  if (!navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      if (status) { status.textContent = "Токен скопирован в буфер обмена."; }
    }, function () {
      field.select();
      if (status) { status.textContent = "Скопируйте выделенный токен сочетанием Ctrl+C."; }
    });
  });
})();
