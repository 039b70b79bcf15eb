// The application form, enhanced: each chosen file is uploaded at once, alone, with a progress bar;
// the cascading selects refresh the form by themselves; «Отправить заявление» is sent once.
// Without this script the form works as a plain HTML form (see web/lk/application/edit.py).
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  document.documentElement.classList.add("js");

  var uploadUrl = form.getAttribute("data-upload-url");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var tooLarge = form.getAttribute("data-too-large");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function rowOf(element) { return element.closest("[data-doc-row]"); }

  function showError(row, message) {
    var error = row.querySelector(".field__error");
    if (!error) {
      error = document.createElement("span");
      error.className = "field__error";
      error.setAttribute("role", "alert");
      row.insertBefore(error, row.querySelector(".doc-row__actions"));
    }
    error.textContent = message;
    row.classList.add("field--error");
  }

  function clearError(row) {
    var error = row.querySelector(".field__error");
    if (error) { error.parentNode.removeChild(error); }
    row.classList.remove("field--error");
  }

  function setProgress(row, percent) {
    var box = row.querySelector(".doc-row__progress");
    var bar = row.querySelector(".progress__bar");
    var meter = row.querySelector("[role=progressbar]");
    var label = row.querySelector(".doc-row__percent");
    box.hidden = false;
    bar.style.width = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
    label.textContent = percent + "%";
  }

  function upload(input) {
    var row = rowOf(input);
    var file = input.files && input.files[0];
    if (!row || !file) { return; }
    clearError(row);
    if (file.size > maxBytes) {
      // The server enforces the limit too; checking here spares sending 25 MB for nothing.
      input.value = "";
      showError(row, tooLarge);
      return;
    }
    var data = new FormData();
    // The row goes before the file, so the server knows it even when it stops reading mid-file.
    data.append("doc_type", row.getAttribute("data-doc-type"));
    data.append("row", row.getAttribute("data-row"));
    data.append("file", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", uploadUrl);
    request.setRequestHeader("X-CSRFToken", csrf);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.responseType = "json";
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) { setProgress(row, Math.round((event.loaded / event.total) * 100)); }
    };
    request.onload = function () {
      var body = request.response || {};
      input.value = "";
      if (request.status === 200 && body.html) {
        var holder = document.createElement("div");
        holder.innerHTML = body.html;
        var fresh = holder.firstElementChild;
        row.parentNode.replaceChild(fresh, row);
        fresh.setAttribute("data-uploaded", "true");
        bind(fresh);
        var status = fresh.querySelector(".doc-row__percent");
        if (status) {
          fresh.querySelector(".doc-row__progress").hidden = false;
          fresh.querySelector(".progress__bar").style.width = "100%";
          status.textContent = "Загружено";
        }
        offerAnotherRow(fresh);
      } else {
        row.querySelector(".doc-row__progress").hidden = true;
        showError(row, body.error || tooLarge);
      }
    };
    request.onerror = function () {
      input.value = "";
      row.querySelector(".doc-row__progress").hidden = true;
      showError(row, file.size > maxBytes ? tooLarge : "Файл не загрузился: проверьте соединение и попробуйте ещё раз.");
    };
    setProgress(row, 0);
    request.send(data);
  }

  // Once every row of a repeatable type holds a file, offer «Добавить ещё» (it posts the form).
  function offerAnotherRow(row) {
    var group = row.closest(".doc-group");
    if (!group || !group.hasAttribute("data-repeatable")) { return; }
    if (group.querySelector("[data-add-row]") || hasEmptyRow(group)) { return; }
    var button = document.createElement("button");
    button.type = "submit";
    button.name = "action";
    button.value = "add:" + group.getAttribute("data-doc-type");
    button.className = "button button--small";
    button.setAttribute("data-add-row", "");
    button.textContent = "Добавить ещё";
    group.appendChild(button);
  }

  function hasEmptyRow(group) {
    var rows = group.querySelectorAll("[data-doc-row]");
    for (var i = 0; i < rows.length; i += 1) {
      if (!rows[i].querySelector(".doc-row__name")) { return true; }
    }
    return false;
  }

  function bind(scope) {
    scope.querySelectorAll("input[type=file][data-upload]").forEach(function (input) {
      input.addEventListener("change", function () { upload(input); });
    });
  }
  bind(form);

  // Cascading choices: a change of level or kind re-renders the form with the narrowed lists.
  var refresh = form.querySelector("[data-cascade-refresh]");
  ["id_education_level", "id_specialty_kind"].forEach(function (id) {
    var select = document.getElementById(id);
    if (select && refresh) {
      select.addEventListener("change", function () {
        if (id === "id_education_level") {
          var kind = document.getElementById("id_specialty_kind");
          if (kind) { kind.value = ""; }
        }
        var specialty = document.getElementById("id_specialty");
        if (specialty) { specialty.value = ""; }
        refresh.click();
      });
    }
  });

  // The kind of accreditation decides the list of documents: a change re-renders the form at once
  // (the draft and every attached file are kept on the server, see application_update_draft).
  if (refresh) {
    form.querySelectorAll("input[name=accreditation_kind]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        refresh.value = "refresh-kind";
        refresh.click();
      });
    });
  }

  // One application per click: later submits while the first is on its way are ignored.
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-submit-once")) {
      window.setTimeout(function () {
        submitter.setAttribute("aria-disabled", "true");
        submitter.disabled = true;
        submitter.textContent = "Отправляется…";
      }, 0);
    }
  });
  window.addEventListener("pageshow", function () { sending = false; });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
