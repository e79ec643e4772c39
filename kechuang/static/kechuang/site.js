// Site behaviour without inline scripts (the content security policy forbids them).
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.echarts) return resolve();
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  // <div class="chart" data-chart="bar|line" data-source="json-script-id" data-x="key" data-y="key[,key2]">
  // or data-series='[{"name":..,"key":..,"axis":0|1}]': a series with "axis": 1 is drawn against a second
  // y axis on the right, so two units never share one scale. data-empty="…" is shown instead of an empty chart.
  // Data comes from Django's json_script, never from inline JS.
  function hasData(data, keys) {
    return data.some(function (r) {
      return keys.some(function (k) { var v = r[k]; return v !== null && v !== undefined && v !== "" && Number(v) !== 0; });
    });
  }

  function renderChart(el) {
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var xKey = el.dataset.x;
    var specs = el.dataset.series ? JSON.parse(el.dataset.series)
      : [{ name: el.dataset.seriesName || "", key: el.dataset.y }];
    if (!data.length || !hasData(data, specs.map(function (s) { return s.key; }))) {
      var note = document.createElement("p");
      note.className = "chart-empty muted";
      note.textContent = el.dataset.empty || document.body.dataset.chartEmpty || "";
      el.replaceChildren(note);
      el.classList.add("is-empty");
      el.dataset.rendered = "1";
      return;
    }
    var twoAxes = specs.some(function (s) { return s.axis === 1; });
    var series = specs.map(function (s) {
      return { name: s.name, type: s.type || el.dataset.chart, yAxisIndex: s.axis === 1 ? 1 : 0,
               data: data.map(function (r) { return r[s.key]; }) };
    });
    var axisName = function (i) {
      var names = specs.filter(function (s) { return (s.axis === 1 ? 1 : 0) === i; }).map(function (s) { return s.name; });
      return names.length === 1 ? names[0] : "";
    };
    var yAxis = [{ type: "value", name: twoAxes ? axisName(0) : "", alignTicks: twoAxes }];
    if (twoAxes) yAxis.push({ type: "value", name: axisName(1), position: "right", alignTicks: true });
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: twoAxes ? 70 : 20, top: twoAxes ? 60 : 40, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.map(function (r) { return r[xKey]; }) },
      yAxis: yAxis,
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "1";
  }

  function renderCharts(root) {
    var charts = (root || document).querySelectorAll(".chart[data-chart]:not([data-rendered])");
    if (!charts.length) return;
    var src = document.querySelector('script[src*="site.js"]').src.replace("kechuang/site.js", "vendor/echarts/echarts.min.js");
    loadScript(src).then(function () { charts.forEach(renderChart); });
  }

  onReady(function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) { if (!window.confirm(el.dataset.confirm)) ev.preventDefault(); });
    });
    renderCharts(document);
    document.body.addEventListener("htmx:afterSwap", function (ev) { renderCharts(ev.target); });
  });
})();
