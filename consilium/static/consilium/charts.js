// Bar charts of the course-bank statistics: each canvas[data-chart] names the JSON script
// element that holds its labels and series; the table beside it gives the same numbers.
(function () {
  var locale = document.documentElement.lang || undefined;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var horizontal = canvas.dataset.type === "ranking";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) { return { label: s.label, data: s.data }; })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        locale: locale,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: !horizontal, position: "bottom" } },
        scales: horizontal ? {} : { y: { beginAtZero: true } }
      }
    });
  });
})();
