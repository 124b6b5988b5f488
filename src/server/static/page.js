/* global document, window, uPlot, ResizeObserver */
/**
 * The review page's own script: draws each metric chart with uPlot from the series the server
 * put beside it (a JSON block), with the threshold as a series of its own and markers where the
 * rules changed or a reviewer decided. Without it the page still reads: every chart has its
 * words and a table of its values.
 */
(function () {
  'use strict';

  var charts = [];
  window.maturityCharts = charts;

  function formatter(unit) {
    if (unit === 'ratio')
      return function (v) {
        return v == null ? '–' : trim((v * 100).toFixed(1)) + '%';
      };
    if (unit === 'minutes')
      return function (v) {
        if (v == null) return '–';
        return v < 60 ? Math.round(v) + ' min' : trim((v / 60).toFixed(1)) + ' h';
      };
    if (unit === 'hours')
      return function (v) {
        return v == null ? '–' : trim(v.toFixed(1)) + ' h';
      };
    return function (v) {
      return v == null ? '–' : trim(v.toFixed(1));
    };
  }

  var MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

  /** "2 Oct", and "2 Oct 2026" for the first tick: dates as the rest of the page writes them. */
  function dayMonth(seconds, withYear) {
    var d = new Date(seconds * 1000);
    var s = d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()];
    return withYear ? s + ' ' + d.getUTCFullYear() : s;
  }

  function trim(s) {
    return s.indexOf('.') >= 0 ? s.replace(/\.?0+$/, '') : s;
  }

  /** Vertical dotted lines where the rules changed or a reviewer decided. */
  function markersPlugin(markers) {
    return {
      hooks: {
        draw: [
          function (u) {
            var ctx = u.ctx;
            ctx.save();
            ctx.lineWidth = 1;
            ctx.setLineDash([2, 4]);
            ctx.font = 10 * window.devicePixelRatio + 'px system-ui, sans-serif';
            markers.forEach(function (m) {
              var x = Math.round(u.valToPos(m.t, 'x', true));
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
              ctx.strokeStyle = m.kind === 'rules' ? '#8a5a00' : '#5a6272';
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillStyle = ctx.strokeStyle;
              ctx.fillText(m.kind === 'rules' ? 'rules' : 'decision', x + 3, u.bbox.top + 10);
            });
            ctx.restore();
          },
        ],
      },
    };
  }

  function draw(el) {
    var data = document.getElementById(el.getAttribute('data-series'));
    if (!data || typeof uPlot === 'undefined') return;
    var s = JSON.parse(data.textContent);
    var fmt = formatter(s.unit);
    var xs = s.points.map(function (p) {
      return Date.parse(p.asOf) / 1000;
    });
    var markers = s.markers.map(function (m) {
      return { t: Date.parse(m.asOf) / 1000, kind: m.kind, text: m.text };
    });
    var all = xs.concat(
      markers.map(function (m) {
        return m.t;
      }),
    );
    var lo = Math.min.apply(null, all);
    var hi = Math.max.apply(null, all);
    if (hi === lo) {
      lo -= 86400;
      hi += 86400;
    }
    var series = [
      {
        label: 'Snapshot',
        value: function (u, t) {
          return t == null ? '–' : dayMonth(t, true);
        },
      },
    ];
    var values = [xs];
    series.push({
      label: s.label,
      stroke: '#1f4f99',
      width: 2,
      points: { show: true, size: 6 },
      spanGaps: false,
      value: function (u, v) {
        return fmt(v);
      },
    });
    values.push(
      s.points.map(function (p) {
        return p.value === undefined ? null : p.value;
      }),
    );
    s.thresholds.forEach(function (t) {
      series.push({
        label: 'Threshold ' + t.words,
        stroke: '#b3261e',
        dash: [6, 4],
        width: 1.5,
        points: { show: false },
        value: function () {
          return fmt(t.value);
        },
      });
      values.push(
        xs.map(function () {
          return t.value;
        }),
      );
    });
    var ys = values.slice(1).reduce(function (acc, v) {
      return acc.concat(
        v.filter(function (x) {
          return x != null;
        }),
      );
    }, []);
    var ymax = s.unit === 'ratio' ? 1 : Math.max.apply(null, ys.concat([1])) * 1.1;
    var width = Math.max(240, el.clientWidth);
    var u = new uPlot(
      {
        width: width,
        height: 200,
        series: series,
        scales: {
          x: { time: true, range: [lo, hi] },
          y: { range: [0, ymax] },
        },
        axes: [
          {
            values: function (u, splits) {
              return splits.map(function (t, i) {
                return dayMonth(t, i === 0);
              });
            },
            space: 70,
          },
          {
            values: function (u, splits) {
              return splits.map(fmt);
            },
            size: 56,
          },
        ],
        plugins: [markersPlugin(markers)],
      },
      values,
      el,
    );
    u.maturity = { metricId: s.metricId, thresholds: s.thresholds.length };
    charts.push(u);
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(function () {
        var w = Math.max(240, el.clientWidth);
        if (Math.abs(w - u.width) > 4) u.setSize({ width: w, height: 200 });
      }).observe(el);
    }
  }

  function drawAll(root) {
    var els = (root || document).querySelectorAll('[data-series]');
    for (var i = 0; i < els.length; i++) {
      if (els[i].getAttribute('data-drawn')) continue;
      els[i].setAttribute('data-drawn', '1');
      draw(els[i]);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll);
  else drawAll();
  document.addEventListener('htmx:after:swap', function () {
    drawAll();
  });
})();
