/// The report page's script: draws the charts with Chart.js from the numbers embedded in the page
/// (`#report-data`). The tables hold the same numbers without it; if drawing fails, the page says
/// so in `#chart-error`.
enum ReportScript {
    /// One colour per follower tier, nano to mega.
    static let tierColors = ["#0d9488", "#14b8a6", "#6366f1", "#a855f7", "#f43f5e"]

    static let javaScript = #"""
    (function () {
      "use strict";
      var errorBox = document.getElementById("chart-error");
      function fail(message) {
        errorBox.hidden = false;
        errorBox.textContent = "Some charts could not be drawn (" + message + "). The tables hold every number.";
      }
      window.addEventListener("error", function (event) { fail(event.message); });
      if (typeof Chart === "undefined") { fail("the chart library did not load"); return; }
      var data = JSON.parse(document.getElementById("report-data").textContent);
      var font = getComputedStyle(document.body).fontFamily;
      Chart.defaults.font.family = font;
      Chart.defaults.color = "#475569";
      Chart.defaults.animation = false;
      Chart.defaults.maintainAspectRatio = false;
      Chart.defaults.plugins.legend.display = false;
      var grid = { color: "#eef2f7" };
      var charts = [];

      function integer(value) { return Number(value).toLocaleString("en-US"); }
      function count(value, noun) { return integer(value) + " " + noun + (value === 1 ? "" : "s"); }
      // Two decimals, or two significant digits under 0.01% (as the tables: 0.0000016%, never 1.6e-6%).
      function percent(value) {
        var p = value * 100;
        var decimals = p !== 0 && Math.abs(p) < 0.01 ? Math.min(20, 1 - Math.floor(Math.log10(Math.abs(p)))) : 2;
        return p.toFixed(decimals) + "%";
      }
      // Cut by code points, so that no character is split in two (an emoji is two UTF-16 units).
      function shortLabel(label) {
        var characters = Array.from(String(label));
        return characters.length > 24 ? characters.slice(0, 23).join("") + "\u2026" : String(label);
      }
      function draw(id, config) {
        var canvas = document.getElementById(id);
        if (canvas) { charts.push(new Chart(canvas, config)); }
      }
      function ranking(id, list, color) {
        draw(id, {
          type: "bar",
          data: { labels: list.labels, datasets: [{ label: "Unique clicks", data: list.unique,
                  backgroundColor: color, borderRadius: 4, maxBarThickness: 26 }] },
          options: {
            indexAxis: "y",
            scales: {
              x: { beginAtZero: true, grid: grid, ticks: { precision: 0 } },
              y: { grid: { display: false }, ticks: { callback: function (value) { return shortLabel(this.getLabelForValue(value)); } } }
            },
            plugins: { tooltip: { callbacks: {
              title: function (items) { return items[0].label; },
              label: function (item) { return integer(item.raw) + " unique clicks"; },
              afterLabel: function (item) { return "engagement " + percent(list.rates[item.dataIndex]); }
            } } }
          }
        });
      }

      if (data.tiers) {
        draw("chart-tiers", {
          type: "bar",
          data: {
            labels: data.tiers.labels.map(function (tier, i) {
              return [tier, count(data.tiers.advocates[i], "advocate"), count(data.tiers.shares[i], "share")];
            }),
            datasets: [{ label: "Engagement rate", data: data.tiers.rates, backgroundColor: data.tiers.colors,
                         borderRadius: 6, maxBarThickness: 72 }]
          },
          options: {
            scales: {
              y: { beginAtZero: true, grid: grid, ticks: { callback: percent },
                   title: { display: true, text: "engagement rate (unique clicks / reach)" } },
              // Each tier's counts under its name where there is room for them (they are in the table too).
              x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: false, font: { size: 11 },
                   callback: function (value) {
                     var label = this.getLabelForValue(value);
                     return this.width / this.chart.data.labels.length < 84 ? label[0] : label;
                   } } }
            },
            plugins: { tooltip: { callbacks: { label: function (item) { return "engagement " + percent(item.raw); } } } }
          }
        });
      }
      if (data.trend) {
        draw("chart-trend", {
          type: "line",
          data: {
            labels: data.trend.ticks,
            datasets: [
              { label: "Unique clicks", data: data.trend.unique, borderColor: "#4f46e5", backgroundColor: "rgba(79,70,229,.12)",
                fill: true, tension: 0.25, pointRadius: data.trend.ticks.length > 40 ? 0 : 3, yAxisID: "y" },
              { label: "Shares", data: data.trend.shares, borderColor: "#0d9488", backgroundColor: "#0d9488",
                borderDash: [5, 4], tension: 0.25, pointRadius: data.trend.ticks.length > 40 ? 0 : 3, yAxisID: "shares" }
            ]
          },
          options: {
            interaction: { mode: "index", intersect: false },
            scales: {
              x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: 8 } },
              y: { beginAtZero: true, grid: grid, ticks: { precision: 0 }, title: { display: true, text: "unique clicks" } },
              shares: { position: "right", beginAtZero: true, grid: { display: false }, ticks: { precision: 0 },
                        title: { display: true, text: "shares" } }
            },
            plugins: { legend: { display: true, position: "top", align: "end", labels: { boxWidth: 12 } } }
          }
        });
      }
      if (data.advocates) { ranking("chart-advocates", data.advocates, "#4f46e5"); }
      if (data.venues) { ranking("chart-venues", data.venues, "#0d9488"); }
      if (data.networks) { ranking("chart-networks", data.networks, "#a855f7"); }

      window.addEventListener("beforeprint", function () { charts.forEach(function (chart) { chart.resize(); }); });
      window.addEventListener("afterprint", function () { charts.forEach(function (chart) { chart.resize(); }); });
    })();
    """#
}
