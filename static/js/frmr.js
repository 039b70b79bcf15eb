// Small progressive enhancements shared by every page. Pages work without it.
(function () {
  "use strict";
  // Close the user menu when a click lands outside it or Escape is pressed.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) { summary.focus(); }
    });
  });
  // The styled file control (web/auth/widgets.py FilePickInput): the native one stays without scripts.
  document.querySelectorAll("[data-file-pick]").forEach(function (pick) {
    var input = pick.querySelector("input[type=file]");
    var name = pick.querySelector(".file-pick__name");
    var choose = pick.querySelector(".file-pick__choose");
    if (!input || !name || !choose) { return; }
    pick.classList.add("file-pick--js");
    choose.hidden = false;
    name.hidden = false;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      name.textContent = file ? file.name : "Файл не выбран";
    });
  });
})();
