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
})();
