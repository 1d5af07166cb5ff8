// The record screen: toggling a member shows the reason select and keeps 实到/应到 and the quorum hint live.
// The page works without JavaScript (the reason selects are then always shown); the server checks everything.
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".roll-row"));
  // The quorum rule comes from the server (meetings/attendance.py QUORUM_RULES, as json_script): its thresholds and
  // texts; the script only counts the toggles live. The server checks the rule again on save.
  var ruleData = document.getElementById("quorum-rule-data");
  var rule = ruleData ? JSON.parse(ruleData.textContent) : null;
  var warning = document.getElementById("quorum-live-warning");

  function met(present, expected) {
    // QuorumRule.met(): more than (strict) or at least numerator/denominator of those expected; nobody is never enough.
    if (expected <= 0) return false;
    var left = present * rule.denominator, right = expected * rule.numerator;
    return rule.strict ? left > right : left >= right;
  }

  function setText(element, value) {
    if (element.textContent !== String(value)) element.textContent = value;
  }

  function refresh() {
    var present = 0, voters = 0, votersPresent = 0;
    rows.forEach(function (row) {
      var on = row.querySelector(".present-toggle").checked;
      var voting = row.getAttribute("data-voting") === "1";
      present += on ? 1 : 0;
      voters += voting ? 1 : 0;
      votersPresent += voting && on ? 1 : 0;
      row.querySelector(".absence").classList.toggle("d-none", on);
      row.querySelector(".present-label").textContent = on ? "出席" : "缺席";
      row.classList.toggle("bg-warning-subtle", !on);
    });
    // The count and the warning sit in aria-live regions: write only on a change, so a screen reader announces
    // each change once and nothing at page load.
    setText(document.getElementById("live-present"), present);
    setText(document.getElementById("live-expected"), rows.length);
    if (!warning || !rule) return;
    var ok = rule.voters_only ? met(votersPresent, voters) : met(present, rows.length);
    warning.classList.toggle("d-none", ok);
  }

  rows.forEach(function (row) {
    row.querySelector(".present-toggle").addEventListener("change", function () {
      refresh();
      if (!this.checked) row.querySelector(".absence select").focus();
    });
  });
  // The save bar sticks to the bottom of the screen; a focused field it would cover scrolls up clear of it (the
  // browser scrolls only fields outside the screen, and those by the CSS scroll-padding).
  var bar = form.querySelector(".record-actions");
  form.addEventListener("focusin", function (event) {
    if (!bar || bar.contains(event.target) || getComputedStyle(bar).position !== "sticky") return;
    var overlap = event.target.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (overlap > 0) window.scrollBy({ top: overlap + 16, behavior: "instant" });
  });

  refresh();
})();
