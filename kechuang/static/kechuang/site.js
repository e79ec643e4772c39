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
  // or data-series='[{"name":..,"key":..}]'. Data comes from Django's json_script, never from inline JS.
  function renderChart(el) {
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var xKey = el.dataset.x;
    var series;
    if (el.dataset.series) {
      series = JSON.parse(el.dataset.series).map(function (s) {
        return { name: s.name, type: el.dataset.chart, data: data.map(function (r) { return r[s.key]; }) };
      });
    } else {
      series = [{ name: el.dataset.seriesName || "", type: el.dataset.chart, data: data.map(function (r) { return r[el.dataset.y]; }) }];
    }
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.map(function (r) { return r[xKey]; }) },
      yAxis: { type: "value" },
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
