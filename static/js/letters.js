// Template editor (党建工作责任书): the running total of item weights, which must be 100 to issue.
(function () {
  "use strict";
  var total = document.getElementById("weight-total");
  if (!total) return;
  var target = parseFloat(total.getAttribute("data-target") || "100");

  function recount() {
    var sum = 0;
    document.querySelectorAll(".template-item").forEach(function (row) {
      var deleted = row.querySelector("input[type=checkbox][name$='-DELETE']");
      var weight = row.querySelector("input.item-weight");
      if (!weight || (deleted && deleted.checked)) return;
      var value = parseFloat(weight.value);
      if (!isNaN(value)) sum += value;
    });
    sum = Math.round(sum * 10) / 10;
    total.textContent = String(sum);
    total.classList.toggle("text-success", sum === target);
    total.classList.toggle("text-danger", sum !== target);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("input.item-weight")) recount();
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[name$='-DELETE']")) recount();
  });
  recount();
})();
