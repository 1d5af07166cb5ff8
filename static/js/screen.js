// The 大屏 mode (assessments/dashboards/screen.py): reload the page every <body data-refresh> seconds so the
// meeting-room screen follows the records. A static file, not a meta refresh (axe: a timed refresh must be
// controllable) nor an inline script (CSP). The button pauses and resumes it.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-refresh"), 10);
  var button = document.getElementById("refresh-toggle");
  if (!seconds) return;
  var timer = null;
  function start() {
    timer = setTimeout(function () { window.location.reload(); }, seconds * 1000);
    if (button) { button.textContent = "暂停自动刷新"; button.setAttribute("aria-pressed", "false"); }
  }
  function stop() {
    clearTimeout(timer);
    timer = null;
    if (button) { button.textContent = "恢复自动刷新"; button.setAttribute("aria-pressed", "true"); }
  }
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { if (timer) { stop(); } else { start(); } });
  }
  start();
})();
