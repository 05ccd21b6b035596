// The network picture: institutions as circles, agreements as lines, laid out by a small
// force simulation (no library) and then fitted into the drawing. Data comes from the page
// as JSON (#graph-data); the legend's swatches get the same colours.
(() => {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const svg = document.getElementById("network");
  const table = document.getElementById("edges-table");
  const W = 1000, H = 700, MARGIN_X = 150, MARGIN_Y = 50, NS = "http://www.w3.org/2000/svg";
  const palette = ["#0b5d6b", "#c0392b", "#2e7d32", "#6a1b9a", "#ef6c00", "#1565c0", "#5d4037", "#00838f", "#ad1457"];
  const countries = [...new Set(data.nodes.map((n) => n.country))].sort();
  const colour = (c) => palette[countries.indexOf(c) % palette.length];
  document.querySelectorAll("[data-country]").forEach((swatch) => {
    swatch.style.background = colour(swatch.dataset.country);
  });
  const nodes = data.nodes.map((n, i) => ({ ...n,
    x: Math.cos((2 * Math.PI * i) / Math.max(data.nodes.length, 1)) * 300,
    y: Math.sin((2 * Math.PI * i) / Math.max(data.nodes.length, 1)) * 300, vx: 0, vy: 0 }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = data.edges.filter((e) => byId.has(e.source) && byId.has(e.target));
  for (let step = 0; step < 400; step++) {
    const alpha = 1 - step / 400;
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        const f = Math.min(2, 9000 / d2) * alpha;
        a.vx += dx * f * 0.1; a.vy += dy * f * 0.1;
      }
      a.vx -= a.x * 0.01; a.vy -= a.y * 0.01;
    }
    for (const e of edges) {
      const a = byId.get(e.source), b = byId.get(e.target);
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      const f = ((d - 90) / d) * 0.1;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    for (const n of nodes) {
      n.x += Math.max(-30, Math.min(30, n.vx)); n.y += Math.max(-30, Math.min(30, n.vy));
      n.vx *= 0.5; n.vy *= 0.5;
    }
  }
  // Fit the layout into the drawing, leaving room for the labels at the sides.
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const sx = (W - 2 * MARGIN_X) / Math.max(maxX - minX, 1), sy = (H - 2 * MARGIN_Y) / Math.max(maxY - minY, 1);
  for (const n of nodes) {
    n.x = nodes.length > 1 ? MARGIN_X + (n.x - minX) * sx : W / 2;
    n.y = nodes.length > 1 ? MARGIN_Y + (n.y - minY) * sy : H / 2;
  }
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    parent.appendChild(node);
    return node;
  };
  const inForce = (status) => status === "active" || status === "signed";
  for (const e of edges) {
    const a = byId.get(e.source), b = byId.get(e.target);
    const link = el("a", { href: `/partnerships/agreements/${e.agreement}/` }, svg);
    const line = el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: inForce(e.status) ? "#0b5d6b" : "#9aa5ab",
      "stroke-width": 3, "stroke-dasharray": inForce(e.status) ? "" : "7 5" }, link);
    el("title", {}, line).textContent = `${e.title} (${e.status_label})`;
    const row = table.insertRow();
    const cell = row.insertCell();
    const anchor = document.createElement("a");
    anchor.href = `/partnerships/agreements/${e.agreement}/`;
    anchor.textContent = `${a.label} — ${b.label}: ${e.title}`;
    cell.appendChild(anchor);
    row.insertCell().textContent = e.status_label;
  }
  for (const n of nodes) {
    const link = el("a", { href: `/institutions/${n.id}/` }, svg);
    const r = 9 + Math.min(10, 2 * n.degree);
    el("circle", { cx: n.x, cy: n.y, r, fill: colour(n.country), stroke: "#fff", "stroke-width": 2 }, link);
    const label = el("text", { x: n.x, y: n.y - r - 6, "text-anchor": "middle", "font-size": 15,
      fill: "#212529", "paint-order": "stroke", stroke: "#fff", "stroke-width": 4 }, link);
    label.textContent = n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label;
  }
})();
