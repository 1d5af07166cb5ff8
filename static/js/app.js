// Small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";
  // <select data-autosubmit>: submit the filter form when the choice changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.requestSubmit(); });
  });
  // <button data-confirm="…">: ask before an action that cannot simply be undone.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) event.preventDefault();
  });
  // A table wider than the screen scrolls sideways: let the keyboard reach it when nothing inside can take focus.
  function scrollableTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      var reachable = box.querySelector(
        "a[href], button:enabled, input:enabled:not([type=hidden]), select:enabled, textarea:enabled, [tabindex]:not([tabindex='-1'])"
      );
      if (scrolls && !reachable) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0" && !scrolls) box.removeAttribute("tabindex");
    });
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
})();
