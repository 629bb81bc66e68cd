/* app.js: the Tidings web page. Hash routes: "#/" the story list
   (?q= search, ?offset= page; newest activity first), "#/story/ID" one
   story: summary, timeline, quotes, copy groups and origin, entities,
   languages, sources, related stories and articles; "#/entity/NAME" the
   stories naming an entity. Reads only /v1/*; builds the
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
  if (document.activeElement !== qInput) qInput.value = q;
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
        el("span", {}, plural(s.independent_sources, "source")),
        el("span", { class: "lang" }, s.languages.join(" · ")),
        el("span", {}, s.last_date ? "updated " + when(s.last_date) : "undated"),
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
  const next = el("button", { type: "button" }, "Older");
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

/* A bar chart of articles per hour or day, as inline SVG drawn at the width it is
   shown at (one SVG unit a pixel), so its text stays readable on a phone. */
function timelineChart(timeline, width, unit) {
  const W = Math.max(240, Math.round(width)), H = 150, padB = 22, padT = 16;
  const max = Math.max(1, ...timeline.map((t) => t.articles));
  const n = Math.max(1, timeline.length);
  const slot = W / n, bw = Math.max(2, Math.min(56, slot * 0.7));
  const chart = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H,
                             role: "img", "aria-label": "Articles per " + unit });
  const step = Math.ceil(n / Math.max(1, Math.floor(W / 56)));   /* labels 56 px apart */
  chart.appendChild(svg("line", { class: "axis", x1: 0, x2: W, y1: H - padB + 0.5, y2: H - padB + 0.5 }));
  timeline.forEach((t, i) => {
    const h = Math.max(2, (H - padB - padT) * t.articles / max);
    const x = i * slot + (slot - bw) / 2;
    const bar = svg("rect", { class: "bar", x: x.toFixed(1), y: (H - padB - h).toFixed(1),
                              width: bw.toFixed(1), height: h.toFixed(1), rx: 2 });
    const langs = Object.entries(t.languages || {}).map(([l, c]) => l + " " + c).join(", ");
    bar.appendChild(svg("title", {}, t.date + ": " + plural(t.articles, "article") +
                                     (langs ? " (" + langs + ")" : "")));
    chart.appendChild(bar);
    if (bw >= 12)
      chart.appendChild(svg("text", { x: (x + bw / 2).toFixed(1), y: (H - padB - h - 4).toFixed(1),
                                      "text-anchor": "middle" }, String(t.articles)));
    if (i % step === 0)
      chart.appendChild(svg("text", { x: (x + bw / 2).toFixed(1), y: H - 6,
                                      "text-anchor": "middle" },
                                 unit === "hour" ? t.date.slice(8, 10) + " " + t.date.slice(11, 13) + "h"
                                                 : t.date.slice(5)));
  });
  return chart;
}

/* Draws (or redraws, on resize) the chart into #timeline-chart. */
let shownTimeline = null, shownUnit = "day";
function drawTimeline() {
  const box = document.getElementById("timeline-chart");
  if (!box || !shownTimeline) return;
  box.replaceChildren(timelineChart(shownTimeline, box.clientWidth || 600, shownUnit));
}
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(drawTimeline, 100);
});

function section(title, id, body) {
  return el("section", { id }, [el("h2", {}, title), body]);
}

/* The summary sentences, each followed by the outlet it comes from. */
function summaryBlock(sentences, sourceOf) {
  return el("div", { class: "panel summary" }, sentences.map((x) =>
    el("p", {}, [x.text, " ", el("span", { class: "muted cite" },
                                 "— " + (sourceOf[x.article] || x.article))])));
}

function quoteBlock(quotes) {
  return el("ul", { class: "quotes" }, quotes.map((q) =>
    el("li", { class: "quote panel", lang: q.lang || null }, [
      el("blockquote", {}, "“" + q.text + "”"),
      el("div", { class: "meta" }, [
        q.speaker ? el("span", { class: "size" }, q.speaker) : null,
        el("span", {}, plural(q.articles, "article")),
        el("span", {}, plural(q.sources, "independent source")),
      ]),
    ])));
}

/* Copy groups: the texts that are copies of one another, origin first. */
function copiesBlock(copies, sourceOf) {
  const label = (m) => m.source ? m.source + " (" + m.id + ")" : m.id;
  const groups = copies.groups.filter((g) => g.members.length > 1);
  const origin = copies.origin;
  const head = el("p", {}, [
    el("strong", {}, plural(copies.independent_sources, "independent source")),
    origin ? " · first reported by " + (sourceOf[origin] || origin) : null,
  ]);
  const list = groups.length
    ? el("ul", { class: "groups" }, groups.map((g) => el("li", { class: "group" }, [
        el("div", {}, [el("span", { class: "size" }, "Origin: "), label(g.members[0]),
                       " ", el("span", { class: "muted" }, day(g.members[0].date))]),
        el("ul", { class: "copies" }, g.members.slice(1).map((m) =>
          el("li", {}, ["copy: " + label(m) + " ", el("span", { class: "muted" }, day(m.date))]))),
      ])))
    : el("p", { class: "muted" }, "No article copies another: every text is its own.");
  return el("div", { class: "panel", id: "copies" }, [head, list]);
}

function relatedBlock(related) {
  const rel = { before: "earlier", after: "later", overlap: "same time" };
  return el("ul", { class: "related" }, related.map((r) =>
    el("li", { class: "story" }, [
      el("a", { class: "title", href: "#/story/" + r.id }, r.title || "(untitled)"),
      el("div", { class: "meta" }, [
        el("span", { class: "size" }, plural(r.articles, "article")),
        el("span", {}, rel[r.when] || r.when),
        el("span", {}, "shares " + r.shared.join(", ")),
        r.backref ? el("span", { class: "backref" },
                       (r.when === "after" ? "refers back to this story: “"
                                           : "this story refers back to it: “") +
                       r.backref.words + "”") : null,
      ]),
    ])));
}

async function renderStory(id) {
  const data = await getJSON("/v1/stories/" + encodeURIComponent(id));
  const s = data.story;
  const sourceOf = {};
  for (const a of data.articles) if (a.source) sourceOf[a.id] = a.source;
  document.title = "Tidings: " + (s.title || "story " + s.id);
  const span = day(s.first_date) === day(s.last_date) ? day(s.first_date)
             : day(s.first_date) + " – " + day(s.last_date);
  const parts = [
    el("p", { class: "back" }, el("a", { href: "#/" }, "← All stories")),
    el("h1", { id: "story-title" }, s.title || "(untitled)"),
    el("div", { class: "meta" }, [
      el("span", { class: "size" }, plural(s.articles, "article")),
      el("span", {}, plural(s.independent_sources, "independent source")),
      el("span", { class: "lang" }, s.languages.join(" · ")),
      el("span", {}, span),
    ]),
  ];
  if (data.summary.length)
    parts.push(section("Summary", "summary", summaryBlock(data.summary, sourceOf)));
  if (data.summary_en.length)
    parts.push(section("In English", "summary-en", summaryBlock(data.summary_en, sourceOf)));
  parts.push(section("Coverage over time", "coverage",
    el("div", { class: "panel timeline", id: "timeline" }, [
      data.timeline.length ? el("div", { id: "timeline-chart" })
                           : el("p", { class: "muted" }, "No dated article."),
      data.peak_day && data.timeline.length > 1
        ? el("p", { class: "muted" }, "Per " + data.timeline_unit + "; peak: " +
             (data.timeline_unit === "hour" ? when(data.peak) : data.peak_day)) : null,
      data.undated ? el("p", { class: "muted" }, plural(data.undated, "undated article")) : null,
    ])));
  if (data.quotes.length) parts.push(section("Quotes", "quotes", quoteBlock(data.quotes)));
  parts.push(section("Copies and origin", "copies-section", copiesBlock(data.copies, sourceOf)));
  if (data.entities.length)
    parts.push(section("People, places, organisations", "entities",
      el("ul", { class: "chips" }, data.entities.map((e) =>
        el("li", { class: "chip", title: plural(e.articles, "article") + ", " +
                                         plural(e.mentions, "mention") },
           el("a", { href: "#/entity/" + encodeURIComponent(e.name) },
              [e.name + " ", el("span", { class: "count" }, String(e.articles))]))))));
  parts.push(section("Languages", "languages",
    chips(data.languages.map((l) => l.lang.toUpperCase() + " " + l.articles), "lang")));
  parts.push(section("Sources", "sources",
    chips(data.sources.map((x) => x.source + (x.articles > 1 ? " ×" + x.articles : "")))));
  if (data.related.length)
    parts.push(section("Related stories", "related", relatedBlock(data.related)));
  parts.push(section("Articles", "articles-section", el("ul", { class: "articles panel", id: "articles" },
    data.articles.map((a) => el("li", { class: "article" }, [
      el("h3", {}, a.url ? el("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" },
                              a.title || a.id)
                         : (a.title || a.id)),
      el("div", { class: "meta" }, [
        el("span", {}, a.source || "unknown source"),
        el("span", { class: "lang" }, a.lang || "?"),
        el("span", {}, when(a.date)),
        a.copy_of ? el("span", { class: "copy" }, "copy of " + (sourceOf[a.copy_of] || a.copy_of)) : null,
      ]),
      a.snippet ? el("p", {}, a.snippet) : null,
    ])))));
  show(...parts);
  shownTimeline = data.timeline;
  shownUnit = data.timeline_unit;
  drawTimeline();
  window.scrollTo(0, 0);
}

/* The stories naming an entity (any spelling or script), newest first. */
async function renderEntity(name) {
  const data = await getJSON("/v1/entities/" + encodeURIComponent(name));
  document.title = "Tidings: " + name;
  show(el("p", { class: "back" }, el("a", { href: "#/" }, "← All stories")),
       el("h1", {}, "Stories naming “" + name + "”"),
       el("p", { class: "muted", id: "count" }, plural(data.stories.length, "story")),
       el("ul", { class: "stories", id: "entity-stories" }, data.stories.map((s) =>
         el("li", { class: "story", "data-id": s.id }, [
           el("a", { class: "title", href: "#/story/" + s.id }, s.title || "(untitled)"),
           el("div", { class: "meta" }, [
             el("span", { class: "size" }, plural(s.articles, "article")),
             el("span", {}, s.last_date ? "updated " + when(s.last_date) : "undated"),
             el("span", {}, "named in " + plural(s.naming, "article") + " as " + s.as_named),
           ]),
         ]))));
}

async function route() {
  const { path, params } = parseHash();
  const m = path.match(/^\/story\/(\d+)$/);
  const e = path.match(/^\/entity\/(.+)$/);
  try {
    if (m) await renderStory(m[1]);
    else if (e) await renderEntity(decodeURIComponent(e[1]));
    else await renderList(params);
  } catch (err) {
    failed(err);
  }
}

function search() {
  const q = qInput.value.trim();
  const hash = q ? "#/?" + new URLSearchParams({ q }) : "#/";
  if (location.hash !== hash) location.hash = hash;
}

/* The list filters as one types (after a pause), or at once on Enter. */
let typing = null;
qInput.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(search, 250);
});
document.getElementById("search").addEventListener("submit", (ev) => {
  ev.preventDefault();
  clearTimeout(typing);
  search();
});
window.addEventListener("hashchange", route);
route();
