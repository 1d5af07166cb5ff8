// 全部按应交足额: fill every empty amount with the amount due and the chosen date; the secretary reviews, then saves.
(function () {
  "use strict";
  var button = document.getElementById("fill-full");
  if (!button) return;
  button.addEventListener("click", function () {
    var day = document.getElementById("fill-date").value;
    document.querySelectorAll("#dues-form tbody tr").forEach(function (tr) {
      var paid = tr.querySelector("input.dues-paid"), date = tr.querySelector("input.dues-date");
      if (paid && !paid.value) {
        paid.value = paid.dataset.due;
        if (date && !date.value) date.value = day;
      }
    });
  });
})();
