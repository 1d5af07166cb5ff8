// 台账导出: progress bars without inline styles (CSP), and polling of a running export job.
(function () {
  "use strict";

  function setWidth(bar) {
    var percent = Math.max(0, Math.min(100, parseInt(bar.getAttribute("data-percent"), 10) || 0));
    bar.style.width = percent + "%"; // CSSOM, allowed by a CSP without 'unsafe-inline'
  }
  document.querySelectorAll(".progress-bar[data-percent]").forEach(setWidth);

  var card = document.getElementById("ledger-job");
  var configNode = document.getElementById("ledger-export-config");
  if (!card || !configNode) return;
  var config = JSON.parse(configNode.textContent);

  function show(selector, visible) {
    var node = card.querySelector(selector);
    if (node) node.classList.toggle("d-none", !visible);
  }

  function render(job) {
    var progress = card.querySelector("[data-job-progress]");
    var bar = progress.querySelector(".progress-bar");
    bar.setAttribute("data-percent", job.percent);
    setWidth(bar);
    bar.textContent = job.percent + "%";
    progress.setAttribute("aria-valuenow", job.percent);
    card.querySelector("[data-job-count]").textContent = "已完成 " + job.done + " / " + job.total + " 个支部";
    var badge = card.querySelector("[data-job-status-badge]");
    badge.textContent = job.status_label;
    badge.className = "badge " + ({done: "text-bg-success", failed: "text-bg-danger", expired: "text-bg-secondary"}[job.status] || "bg-party");
    card.setAttribute("data-status", job.status);
    if (job.finished) {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      show("[data-job-waiting]", false);
    }
    if (job.status === "failed") {
      card.querySelector("[data-job-error-text]").textContent = job.error || "导出失败";
      show("[data-job-error]", true);
    }
    if (job.status === "done" && job.download_url) {
      card.querySelector("[data-job-download]").setAttribute("href", job.download_url);
      show("[data-job-download]", true);
    }
  }

  var failures = 0;
  function poll() {
    fetch(config.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        render(job);
        if (!job.finished) window.setTimeout(poll, config.intervalMs);
      })
      .catch(function () {
        // The server may be restarting: back off, and keep the page usable.
        failures += 1;
        if (failures < 20) window.setTimeout(poll, config.intervalMs * Math.min(failures + 1, 10));
      });
  }

  var initial = document.getElementById("ledger-export-initial");
  if (initial) render(JSON.parse(initial.textContent));
  if (card.getAttribute("data-status") === "queued" || card.getAttribute("data-status") === "running") {
    window.setTimeout(poll, config.intervalMs);
  }
})();
