// 民主评议党员 year sheet: "未评的全部设为合格" fills every empty grade; the secretary reviews, then saves.
(function () {
  "use strict";
  var button = document.getElementById("fill-qualified");
  if (!button) return;
  button.addEventListener("click", function () {
    document.querySelectorAll("select.grade-select:not([disabled])").forEach(function (s) {
      if (!s.value) s.value = "qualified";
    });
  });
})();
