/* app.js: the Tidings web page. Hash routes: "#/" the story list
   (?q= search, ?offset= page), "#/story/ID" one story with its timeline,
   languages, sources, entities and articles. Reads only /v1/*; builds the
   DOM with textContent, never HTML strings from data. */
"use strict";

const PAGE = 20;
const app = document.getElementById("app");
const qInput = document.getElementById("q");

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of [].concat(children || [])) {
    if (c === null || c === undefined) continue;
    node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function show(...nodes) {
  app.replaceChildren(...nodes.filter((n) => n));
}

function day(iso) {
  return iso ? iso.slice(0, 10) : "undated";
}

function when(iso) {
  if (!iso) return "undated";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function plural(n, word) {
  if (n === 1) return n + " " + word;
  return n + " " + (word.endsWith("y") ? word.slice(0, -1) + "ies" : word + "s");
}

async function getJSON(url) {
  const resp = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    const msg = body && body.error ? body.error.message : resp.statusText;
    throw new Error(resp.status + ": " + msg);
  }
  return body;
}

function failed(err) {
  show(el("p", { class: "error" }, "Could not load: " + err.message),
       el("p", {}, el("a", { href: "#/" }, "Back to the stories")));
}

function chips(items, cls) {
  return el("ul", { class: "chips" },
            items.map((t) => el("li", { class: "chip " + (cls || "") }, t)));
}

function parseHash() {
  const h = location.hash.replace(/^#/, "") || "/";
  const [path, query] = h.split("?");
  return { path, params: new URLSearchParams(query || "") };
}

async function renderList(params) {
  const q = params.get("q") || "";
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  qInput.value = q;
  document.title = q ? "Tidings: " + q : "Tidings";
  const api = new URLSearchParams({ limit: PAGE, offset });
  if (q) api.set("q", q);
  const data = await getJSON("/v1/stories?" + api);
  const heading = el("h1", {}, q ? "Stories matching “" + q + "”" : "Stories");
  const count = el("p", { class: "muted", id: "count" },
                   plural(data.total, "story") + (q ? " found" : ""));
  const list = el("ul", { class: "stories", id: "stories" },
    data.stories.map((s) => el("li", { class: "story", "data-id": s.id }, [
      el("a", { class: "title", href: "#/story/" + s.id }, s.title || "(untitled)"),
      el("div", { class: "meta" }, [
        el("span", { class: "size" }, plural(s.articles, "article")),
        el("span", { class: "lang" }, s.languages.join(" · ")),
        el("span", {}, "updated " + when(s.last_date)),
      ]),
      s.entities.length ? chips(s.entities.slice(0, 5)) : null,
    ])));
  const nav = (off) => {
    const p = new URLSearchParams();
    if (q) p.set("q", q);
    if (off) p.set("offset", off);
    location.hash = "#/?" + p;
  };
  const prev = el("button", { type: "button" }, "Newer");
  const next = el("button", { type: "button" }, "More");
  prev.disabled = offset === 0;
  next.disabled = data.next === null;
  prev.addEventListener("click", () => nav(Math.max(0, offset - PAGE)));
  next.addEventListener("click", () => nav(data.next));
  const pager = (offset > 0 || data.next !== null)
    ? el("div", { class: "pager" }, [prev, next]) : null;
  show(heading, count,
       data.stories.length ? list : el("p", { class: "muted" }, "No story."),
       pager);
}

/* A bar chart of articles per day, as inline SVG. */
function timelineChart(timeline) {
  const W = 600, H = 140, padB = 22, padT = 14;
  const max = Math.max(1, ...timeline.map((t) => t.articles));
  const n = Math.max(1, timeline.length);
  const slot = W / n, bw = Math.max(2, Math.min(48, slot * 0.7));
  const chart = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
                             "aria-label": "Articles per day" });
  const step = Math.ceil(n / 8);   /* at most ~8 date labels */
  timeline.forEach((t, i) => {
    const h = Math.max(2, (H - padB - padT) * t.articles / max);
    const x = i * slot + (slot - bw) / 2;
    const bar = svg("rect", { class: "bar", x: x.toFixed(1), y: (H - padB - h).toFixed(1),
                              width: bw.toFixed(1), height: h.toFixed(1), rx: 2 });
    bar.appendChild(svg("title", {}, t.date + ": " + plural(t.articles, "article")));
    chart.appendChild(bar);
    chart.appendChild(svg("text", { x: (x + bw / 2).toFixed(1), y: (H - padB - h - 3).toFixed(1),
                                    "text-anchor": "middle" }, String(t.articles)));
    if (i % step === 0)
      chart.appendChild(svg("text", { x: (x + bw / 2).toFixed(1), y: H - 6,
                                      "text-anchor": "middle" }, t.date.slice(5)));
  });
  return chart;
}

async function renderStory(id) {
  const data = await getJSON("/v1/stories/" + encodeURIComponent(id));
  const s = data.story;
  document.title = "Tidings: " + (s.title || "story " + s.id);
  const span = day(s.first_date) === day(s.last_date) ? day(s.first_date)
             : day(s.first_date) + " – " + day(s.last_date);
  const parts = [
    el("p", {}, el("a", { href: "#/" }, "← All stories")),
    el("h1", { id: "story-title" }, s.title || "(untitled)"),
    el("div", { class: "meta" }, [
      el("span", { class: "size" }, plural(s.articles, "article")),
      el("span", {}, plural(data.sources.length, "source")),
      el("span", {}, span),
    ]),
    el("h2", {}, "Coverage over time"),
    el("div", { class: "panel timeline", id: "timeline" }, [
      data.timeline.length ? timelineChart(data.timeline)
                           : el("p", { class: "muted" }, "No dated article."),
      data.undated ? el("p", { class: "muted" }, plural(data.undated, "undated article")) : null,
    ]),
    el("h2", {}, "Languages"),
    chips(data.languages.map((l) => l.lang.toUpperCase() + " " + l.articles), "lang"),
    el("h2", {}, "Sources"),
    chips(data.sources.map((x) => x.source + (x.articles > 1 ? " ×" + x.articles : ""))),
  ];
  if (s.entities.length) parts.push(el("h2", {}, "Entities"), chips(s.entities));
  parts.push(el("h2", {}, "Articles"), el("ul", { class: "articles panel", id: "articles" },
    data.articles.map((a) => el("li", { class: "article" }, [
      el("h3", {}, a.url ? el("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" },
                              a.title || a.id)
                         : (a.title || a.id)),
      el("div", { class: "meta" }, [
        el("span", {}, a.source || "unknown source"),
        el("span", { class: "lang" }, a.lang || "?"),
        el("span", {}, when(a.date)),
      ]),
      a.snippet ? el("p", {}, a.snippet) : null,
    ]))));
  show(...parts);
  window.scrollTo(0, 0);
}

async function route() {
  const { path, params } = parseHash();
  const m = path.match(/^\/story\/(\d+)$/);
  try {
    if (m) await renderStory(m[1]);
    else await renderList(params);
  } catch (err) {
    failed(err);
  }
}

document.getElementById("search").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = qInput.value.trim();
  location.hash = q ? "#/?" + new URLSearchParams({ q }) : "#/";
});
window.addEventListener("hashchange", route);
route();
