// 党员积分 pages: the print button, the year selector, and the committee's distribution chart (ECharts, vendored;
// data from {{ chart_data|json_script:"points-data" }}). No inline script (CSP); the tables work without this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-year-select]").forEach(function (select) {
    select.addEventListener("change", function () {
      window.location.href = select.getAttribute("data-base") + select.value + "/";
    });
  });
  var source = document.getElementById("points-data");
  var node = document.getElementById("points-chart");
  if (!source || !node || typeof echarts === "undefined") return;
  var rows = JSON.parse(source.textContent);
  node.style.height = (node.getAttribute("data-height") || 320) + "px";
  var chart = echarts.init(node);
  chart.setOption({
    textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" },
    grid: { left: 44, right: 12, top: 20, bottom: 80 },
    tooltip: { trigger: "axis", formatter: function (items) { return items[0].name + "<br>平均 " + items[0].value + " 分"; } },
    xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 40, interval: 0 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: rows.map(function (r) { return r.average; }), itemStyle: { color: "#c8161d" } }]
  });
  chart.on("click", function (params) { window.location.href = rows[params.dataIndex].url; });
  window.addEventListener("resize", function () { chart.resize(); });
})();
