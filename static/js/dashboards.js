// Dashboard charts (ECharts, vendored). Data comes from {{ chart_data|json_script:"dashboard-data" }}; each
// <div class="chart" data-chart="..."> names its chart. No inline script (CSP); the tables work without this file.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var COLORS = { met: "#198754", partly_met: "#e0a800", not_met: "#c8161d", pending: "#adb5bd" };
  var RED = "#c8161d";
  var narrow = function () { return window.innerWidth < 576; };
  var THEME = document.body.getAttribute("data-chart-theme") || null;  // "dark" on the 大屏
  var FONT = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };

  function trend(rows) {
    return {
      textStyle: FONT,
      grid: { left: 44, right: 16, top: 30, bottom: 28 },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var row = rows[items[0].dataIndex];
          return row.label + "<br>完成率 " + (row.rate === null ? "—" : row.rate + "%") +
            "<br>已完成 " + row.done + " / 应完成 " + row.required;
        }
      },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label.slice(5) + "月"; }), boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{
        name: "完成率", type: "line", smooth: 0.2, symbolSize: 7, connectNulls: false,
        data: rows.map(function (r) { return r.rate; }),
        itemStyle: { color: RED }, lineStyle: { width: 3 },
        areaStyle: { color: "rgba(200,22,29,0.08)" },
        markLine: { silent: true, symbol: "none", lineStyle: { color: COLORS.partly_met, type: "dashed" },
          label: { formatter: "80%", position: "insideEndTop" }, data: [{ yAxis: 80 }] }
      }]
    };
  }

  function statuses(rows) {
    // The percentages sit inside the ring and the names with their counts in the legend below it, so no label
    // can reach the legend whatever the width (issue 14 point 6).
    var shown = rows.filter(function (r) { return r.value > 0; });
    var counts = {};
    shown.forEach(function (r) { counts[r.name] = r.value; });
    return {
      textStyle: FONT,
      tooltip: { trigger: "item", formatter: "{b}:{c} 项({d}%)" },
      legend: { bottom: 0, icon: "circle", formatter: function (name) { return name + " " + counts[name]; } },
      series: [{
        type: "pie", radius: ["40%", "70%"], center: ["50%", "44%"], minShowLabelAngle: 18,
        label: { show: true, position: "inside", color: "#fff", fontWeight: "bold",
          formatter: function (p) { return Math.round(p.percent) + "%"; },
          textBorderColor: "rgba(0,0,0,0.35)", textBorderWidth: 2 },
        labelLine: { show: false },
        data: shown.map(function (r) {
          return { name: r.name, value: r.value, url: r.url, itemStyle: { color: COLORS[r.status] } };
        })
      }]
    };
  }

  function enterprises(rows) {
    var names = rows.map(function (r) { return r.name; });
    var bar = function (name, key, status) {
      return { name: name, type: "bar", stack: "share", barMaxWidth: 22, itemStyle: { color: COLORS[status] },
        data: rows.map(function (r) { return r[key]; }) };
    };
    return {
      textStyle: FONT,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: names, inverse: true,
        axisLabel: { width: narrow() ? 72 : 150, overflow: "truncate" } },
      series: [bar("达标", "met", "met"), bar("基本达标", "partly", "partly_met"), bar("未达标", "not_met", "not_met")]
    };
  }

  function stars(rows) {
    return {
      textStyle: FONT,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + " 个支部"; } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), inverse: true,
        axisLabel: { color: "#b8860b" } },
      series: [{ type: "bar", barMaxWidth: 20, data: rows.map(function (r) { return r.value; }),
        itemStyle: { color: "#f5c342" }, label: { show: true, position: "right" } }]
    };
  }

  var builders = { trend: trend, statuses: statuses, enterprises: enterprises, stars: stars };
  var charts = [];
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var rows = data[kind];
    if (!builders[kind] || !rows || !rows.length) return;
    var height = el.getAttribute("data-height");
    // Set through the CSSOM (allowed by the CSP), not a style attribute.
    el.style.height = (height === "auto" ? Math.max(220, rows.length * 30 + 60) : parseInt(height, 10) || 260) + "px";
    var chart = echarts.init(el, THEME, { renderer: "canvas" });
    var option = builders[kind](rows);
    if (THEME) option.backgroundColor = "transparent";  // the 大屏's cards give the background
    chart.setOption(option);
    // Drill-down (issue 14 point 5): a slice, bar or point with a url opens the page behind it.
    chart.on("click", function (params) {
      var url = (params.data && params.data.url) || (rows[params.dataIndex] && rows[params.dataIndex].url) ||
        data[kind + "_url"];
      if (url) window.location.href = url;
    });
    if (data[kind + "_url"] || rows.some(function (r) { return r.url; })) el.setAttribute("data-drill", "1");
    el.setAttribute("data-rendered", "1");
    charts.push(chart);
  });
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });
})();
