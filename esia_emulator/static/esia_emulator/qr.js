// Polls the QR login's status and moves on as soon as another device confirms it.
// Without JavaScript the «Проверить» button does the same by hand.
(function () {
  "use strict";
  var box = document.getElementById("qr-status");
  if (!box || !window.fetch) { return; }
  var statusUrl = box.getAttribute("data-status-url");
  var renewUrl = box.getAttribute("data-renew-url");
  var timer = null;

  function say(text) {
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "esia-alert esia-alert--info";
    p.textContent = text;
    box.appendChild(p);
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "confirmed" && data.next) {
          window.clearInterval(timer);
          say("Вход подтверждён, продолжаем…");
          window.location.assign(data.next);
        } else if (data.status === "expired") {
          window.clearInterval(timer);
          say("QR-код устарел. Обновляем…");
          window.location.assign(renewUrl);
        }
      })
      .catch(function () { /* a missed poll is retried on the next tick */ });
  }

  timer = window.setInterval(poll, 2000);
})();
