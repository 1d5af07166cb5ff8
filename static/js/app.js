// Small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";
  // <select data-autosubmit>: submit the filter form when the choice changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.requestSubmit(); });
  });
  // <button data-confirm="…">: ask before an action that cannot simply be undone, in the page's own dialog
  // (#confirm-dialog in base.html, a Bootstrap modal); the browser's confirm() only when the modal is missing.
  var dialog = document.getElementById("confirm-dialog");
  var pending = null;
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (!target) return;
    if (target === pending) { pending = null; return; }  // confirmed: let the click through
    event.preventDefault();
    if (!dialog || !window.bootstrap) {
      if (window.confirm(target.getAttribute("data-confirm"))) { pending = target; target.click(); }
      return;
    }
    document.getElementById("confirm-dialog-text").textContent = target.getAttribute("data-confirm");
    var ok = document.getElementById("confirm-dialog-ok");
    ok.textContent = target.textContent.trim() || "确定";
    ok.onclick = function () {
      window.bootstrap.Modal.getOrCreateInstance(dialog).hide();
      pending = target;
      target.click();
    };
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
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
