// The network picture: institutions as circles, agreements as lines, laid out by a small
// force simulation (no library). Data comes from the page as JSON (#graph-data).
(() => {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const svg = document.getElementById("network");
  const table = document.getElementById("edges-table");
  const W = 1000, H = 700, NS = "http://www.w3.org/2000/svg";
  const palette = ["#0b5d6b", "#c0392b", "#2e7d32", "#6a1b9a", "#ef6c00", "#1565c0", "#5d4037", "#00838f", "#ad1457"];
  const countries = [...new Set(data.nodes.map((n) => n.country))];
  const colour = (c) => palette[countries.indexOf(c) % palette.length];
  const nodes = data.nodes.map((n, i) => ({ ...n,
    x: W / 2 + 300 * Math.cos((2 * Math.PI * i) / Math.max(data.nodes.length, 1)),
    y: H / 2 + 250 * Math.sin((2 * Math.PI * i) / Math.max(data.nodes.length, 1)), vx: 0, vy: 0 }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = data.edges.filter((e) => byId.has(e.source) && byId.has(e.target));
  for (let step = 0; step < 300; step++) {
    const alpha = 1 - step / 300;
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        const f = Math.min(1, 3000 / d2) * alpha;
        a.vx += dx * f; a.vy += dy * f;
      }
      a.vx += (W / 2 - a.x) * 0.004; a.vy += (H / 2 - a.y) * 0.006;
    }
    for (const e of edges) {
      const a = byId.get(e.source), b = byId.get(e.target);
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      const f = ((d - 110) / d) * 0.08 * alpha;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    for (const n of nodes) {
      n.x = Math.min(W - 110, Math.max(110, n.x + Math.max(-20, Math.min(20, n.vx))));
      n.y = Math.min(H - 30, Math.max(50, n.y + Math.max(-20, Math.min(20, n.vy))));
      n.vx *= 0.6; n.vy *= 0.6;
    }
  }
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    parent.appendChild(node);
    return node;
  };
  for (const e of edges) {
    const a = byId.get(e.source), b = byId.get(e.target);
    const link = el("a", { href: `/partnerships/agreements/${e.agreement}/` }, svg);
    const line = el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: e.status === "active" || e.status === "signed" ? "#0b5d6b" : "#9aa5ab",
      "stroke-width": 2.5, "stroke-dasharray": e.status === "proposed" || e.status === "negotiating" ? "6 4" : "" }, link);
    el("title", {}, line).textContent = e.title;
    const row = table.insertRow();
    row.insertCell().innerHTML = `<a href="/partnerships/agreements/${e.agreement}/"></a>`;
    row.cells[0].firstChild.textContent = `${a.label} — ${b.label}: ${e.title}`;
    row.insertCell().textContent = e.status;
  }
  for (const n of nodes) {
    const link = el("a", { href: `/institutions/${n.id}/` }, svg);
    el("circle", { cx: n.x, cy: n.y, r: 8 + Math.min(10, 2 * n.degree), fill: colour(n.country), stroke: "#fff", "stroke-width": 2 }, link);
    const label = el("text", { x: n.x, y: n.y - 14 - Math.min(10, 2 * n.degree), "text-anchor": "middle", "font-size": 14, fill: "#212529" }, link);
    label.textContent = n.label;
  }
})();
