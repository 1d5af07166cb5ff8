// The record screen: toggling a member shows the reason select and keeps 实到/应到 and the quorum hint live.
// The page works without JavaScript (the reason selects are then always shown); the server checks everything.
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".roll-row"));
  var rule = form.getAttribute("data-rule");
  var warning = document.getElementById("quorum-live-warning");

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
    if (!warning) return;
    var ok = true;
    // Same rules as meetings/services.py quorum(): more than half (of voters for an assembly); two thirds.
    if (rule === "branch_assembly") ok = votersPresent * 2 > voters;
    else if (rule === "branch_committee") ok = present * 2 > rows.length;
    else if (rule === "democratic_life") ok = present * 3 >= rows.length * 2;
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
