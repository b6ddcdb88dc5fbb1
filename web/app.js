// Kedja's web interface: search with facets, documents with their
// references and links, the trace as a timeline, commitments, and the
// meetings of meeting portals with their protocols and attachments. Plain
// JavaScript over the JSON API; the URL holds the whole view so it can be
// shared. No request leaves the server it was loaded from.
'use strict';

const $ = (id) => document.getElementById(id);
const views = ['search-view', 'doc-view', 'trace-view', 'brief-view', 'commitments-view', 'meetings-view'];
const PAGE = 10;

const KIND_LABELS = {
  interpellation: 'Interpellation', interpellation_answer: 'Interpellationssvar', motion: 'Motion',
  motion_response: 'Yttrande/remissvar', initiative: 'Initiativ', citizen_proposal: 'Medborgarförslag',
  decision: 'Beslut', protocol: 'Protokoll', plan: 'Plan/program', follow_up: 'Uppföljning', other: 'Övrigt',
};
const LINK_LABELS = {
  answers: 'besvarar', asks_about: 'frågar om', decides_on: 'beslutar om', implements: 'genomför',
  follows_up: 'följer upp', cites: 'hänvisar till', same_topic: 'samma ämne', same_case: 'samma ärende som', same_decision: 'samma beslut som',
  references: 'hänvisar till (finns ännu inte i arkivet)',
  record: 'har som beslutsunderlag',
};
const STATUS_LABELS = {
  done: 'Genomfört', ongoing: 'Pågår', not_started: 'Ej påbörjat', postponed: 'Uppskjutet', written_off: 'Avskrivet', unknown: 'Okänt',
};
const FACET_LABELS = { kind: 'Typ', municipality: 'Kommun', party: 'Parti', body: 'Organ', year: 'År' };

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function link(text, params, attrs) {
  const a = el('a', text, attrs);
  a.href = '?' + new URLSearchParams(params).toString();
  a.addEventListener('click', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    go(params);
  });
  return a;
}

function go(params) {
  history.pushState({}, '', '?' + new URLSearchParams(params).toString());
  route();
}

async function api(path) {
  const res = await fetch(path);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
  return body;
}

function show(view) {
  for (const v of views) $(v).hidden = v !== view;
  const commitments = view === 'commitments-view';
  const meetings = view === 'meetings-view';
  current($('nav-search'), !commitments && !meetings);
  current($('nav-commitments'), commitments);
  current($('nav-meetings'), meetings);
}

function current(a, on) {
  if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
}

function failure(target, e) {
  target.replaceChildren(el('p', 'Fel: ' + e.message, { role: 'alert' }));
}

// ---------------------------------------------------------------- search

const FILTERS = ['kind', 'municipality', 'party', 'body', 'year'];

async function search(p) {
  show('search-view');
  $('q').value = p.get('q') || '';
  $('sort').value = p.get('sort') || 'relevance';
  const page = Math.max(0, parseInt(p.get('page') || '0', 10) || 0);
  const api_params = new URLSearchParams({ q: p.get('q'), limit: PAGE, offset: page * PAGE });
  for (const f of ['kind', 'municipality', 'party', 'body', 'sort']) if (p.get(f)) api_params.set(f, p.get(f));
  if (p.get('year')) { api_params.set('from', p.get('year')); api_params.set('to', p.get('year')); }
  $('status').textContent = 'Söker …';
  try {
    const r = await api('/api/search?' + api_params.toString());
    $('status').textContent = r.total === 1 ? '1 träff' : r.total + ' träffar';
    if (r.suggestion) {
      const next = new URLSearchParams(p);
      next.set('q', r.suggestion);
      next.delete('page');
      $('status').append(document.createTextNode(' · Menade du: '), link(r.suggestion, next, { id: 'suggestion' }));
    }
    renderFacets(p, r.facets, r.facets_complete);
    $('watch').replaceChildren(watchLink(api_params));
    const hits = r.hits.map((h) => {
      const li = el('li');
      li.append(link(h.title || '(utan titel)', { view: 'doc', id: h.id }, { class: 'hit' }));
      const meta = [KIND_LABELS[h.kind] || h.kind, h.municipality, h.date,
        h.parties.length ? h.parties.map((x) => '(' + x + ')').join(' ') : null].filter(Boolean).join(' · ');
      li.append(el('div', meta, { class: 'meta' }));
      const s = el('div', undefined, { class: 'snippet' });
      s.innerHTML = h.snippet; // escaped by the server; matches marked with <b>
      li.append(s);
      return li;
    });
    $('hits').replaceChildren(...hits);
    renderPager(p, page, r.total);
  } catch (e) {
    $('hits').replaceChildren();
    $('facets').replaceChildren();
    $('pager').replaceChildren();
    $('watch').replaceChildren();
    $('status').textContent = 'Fel: ' + e.message;
  }
}

// The same search as an Atom feed, newest documents first: a feed reader
// then shows each new document that matches.
function watchLink(api_params) {
  const feed = new URLSearchParams();
  for (const f of ['q', 'kind', 'municipality', 'party', 'body', 'from', 'to']) if (api_params.get(f)) feed.set(f, api_params.get(f));
  const a = el('a', 'Bevaka sökningen', {
    id: 'watch-link', class: 'feed', type: 'application/atom+xml',
    title: 'Atom-flöde med nya dokument som matchar sökningen, nyast först',
  });
  a.href = '/api/feeds/search.atom?' + feed.toString();
  return a;
}

function renderFacets(p, facets, complete) {
  const parts = [];
  if (complete === false) parts.push(el('p', 'Antalen är räknade på en del av träffarna.', { class: 'meta', id: 'facets-partial' }));
  for (const name of FILTERS) {
    const values = (facets && facets[name]) || [];
    if (!values.length) continue;
    const ul = el('ul');
    for (const v of values.slice(0, 12)) {
      const active = p.get(name) === v.value;
      const b = el('button', (name === 'kind' ? (KIND_LABELS[v.value] || v.value) : v.value) + ' ', {
        type: 'button', 'aria-pressed': String(active), 'data-facet': name, 'data-value': v.value,
      });
      b.append(el('span', '(' + v.count + ')', { class: 'count' }));
      b.addEventListener('click', () => {
        const next = new URLSearchParams(p);
        if (active) next.delete(name); else next.set(name, v.value);
        next.delete('page');
        go(next);
      });
      const li = el('li');
      li.append(b);
      ul.append(li);
    }
    parts.push(el('h3', FACET_LABELS[name]), ul);
  }
  $('facets').replaceChildren(...parts);
}

function renderPager(p, page, total) {
  const pages = Math.ceil(total / PAGE);
  const parts = [];
  if (page > 0) parts.push(pageButton(p, page - 1, 'Föregående'));
  if (pages > 1) parts.push(el('span', 'Sida ' + (page + 1) + ' av ' + pages + ' '));
  if (page + 1 < pages) parts.push(pageButton(p, page + 1, 'Nästa'));
  $('pager').replaceChildren(...parts);
}

function pageButton(p, page, text) {
  const b = el('button', text, { type: 'button' });
  b.addEventListener('click', () => { const n = new URLSearchParams(p); n.set('page', page); go(n); });
  return b;
}

$('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const p = new URLSearchParams({ q: $('q').value });
  if ($('sort').value !== 'relevance') p.set('sort', $('sort').value);
  go(p);
});
$('sort').addEventListener('change', () => {
  if (!$('q').value) return;
  const p = new URLSearchParams(location.search);
  p.set('sort', $('sort').value);
  p.delete('page');
  go(p);
});

// ---------------------------------------------------------------- document

// Reference offsets are UTF-8 byte offsets into the text.
function highlighted(text, refs) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const pre = el('pre', undefined, { class: 'text' });
  let at = 0;
  const sorted = refs.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  for (const r of sorted) {
    if (r.start < at || r.end > bytes.length) continue;
    pre.append(document.createTextNode(dec.decode(bytes.slice(at, r.start))));
    const m = el('mark', dec.decode(bytes.slice(r.start, r.end)), {
      class: r.resolved_to ? 'ref' : 'ref unresolved',
      title: r.resolved_to ? 'Hänvisning, finns i arkivet' : 'Hänvisning, finns ännu inte i arkivet',
    });
    if (r.resolved_to) {
      const a = link('', { view: 'doc', id: r.resolved_to });
      a.append(m);
      pre.append(a);
    } else {
      pre.append(m);
    }
    at = r.end;
  }
  pre.append(document.createTextNode(dec.decode(bytes.slice(at))));
  return pre;
}

function linkTable(links, direction) {
  const table = el('table');
  const head = el('tr');
  for (const h of [direction === 'out' ? 'Till' : 'Från', 'Typ', 'Säkerhet', 'Belägg']) head.append(el('th', h, { scope: 'col' }));
  table.append(head);
  for (const l of links) {
    const tr = el('tr');
    const other = direction === 'out' ? l.to : l.from;
    const td = el('td');
    td.append(link(l.other_title || other, { view: 'doc', id: other }));
    if (l.other_date) td.append(el('div', l.other_date, { class: 'meta' }));
    tr.append(td, el('td', LINK_LABELS[l.type] || l.type), el('td', Math.round(l.confidence * 100) + ' %', { title: l.reason }),
      el('td', '”' + l.evidence + '”'));
    table.append(tr);
  }
  return table;
}

function commitmentTable(commitments) {
  const table = el('table', undefined, { class: 'commitments' });
  const head = el('tr');
  for (const h of ['Ansvarig', 'Uppdrag', 'Senast', 'Status', 'Senaste rapport']) head.append(el('th', h, { scope: 'col' }));
  table.append(head);
  for (const c of commitments) {
    const tr = el('tr');
    const due = c.deadline ? (c.deadline.start === c.deadline.end ? c.deadline.end : c.deadline.start + ' – ' + c.deadline.end)
      : (c.cadence || '–');
    const status = el('td', (STATUS_LABELS[c.status] || c.status) + (c.overdue ? ' · försenat' : ''),
      { class: c.overdue ? 'status-overdue' : (c.status === 'done' ? 'status-done' : '') });
    const task = el('td');
    task.append(link(c.task, { view: 'doc', id: c.doc_id }));
    const last = c.reports.length ? c.reports[c.reports.length - 1] : null;
    const report = el('td');
    if (last) {
      report.append(link(last.date || 'odaterad', { view: 'doc', id: last.doc_id }), document.createTextNode(': ”' + last.evidence + '”'));
    } else {
      report.textContent = 'Ingen rapport ännu';
    }
    tr.append(el('td', c.responsible || '–'), task, el('td', due), status, report);
    table.append(tr);
  }
  return table;
}

async function documentView(id) {
  show('doc-view');
  const v = $('doc-view');
  v.replaceChildren(el('p', 'Hämtar …', { role: 'status' }));
  try {
    const d = await api('/api/documents/' + encodeURIComponent(id));
    const parts = [el('h2', d.title || '(utan titel)')];
    parts.push(el('p', [d.kind_label, d.municipality, d.date, d.body].filter(Boolean).join(' · '), { class: 'meta' }));
    if (d.meeting) parts.push(meetingLine(d.meeting));
    if (d.no_longer_at_source) parts.push(el('p', 'Dokumentet finns inte längre på sin källa; arkivet har kvar det.', { class: 'meta' }));
    const dl = el('dl');
    const add = (k, val) => { if (val) { dl.append(el('dt', k), el('dd', val)); } };
    add('Författare', d.authors.map((a) => a.name + (a.party ? ' (' + a.party + ')' : '')).join(', '));
    add('Till', d.addressee);
    add('Diarienummer', d.own_diarienummer.join(', ') || d.diarienummer.join(', '));
    add('Paragraf', d.paragraph);
    if (d.pages) add('Sidor', d.pages.from === d.pages.to ? String(d.pages.from) : d.pages.from + '–' + d.pages.to);
    add('Förvaltning', d.office);
    add('Handläggare', d.handler);
    add('Beslut', d.decided);
    if (d.text_confidence != null) {
      add('Text', 'tolkad ur inskannade sidor (textigenkänning, säkerhet ' + Math.round(d.text_confidence * 100) + ' %)');
    }
    parts.push(dl);
    if (d.part_of) {
      const p = el('p', 'Del av ', { class: 'meta', id: 'part-of' });
      p.append(link(d.part_of.title || d.part_of.id, { view: 'doc', id: d.part_of.id }));
      parts.push(p);
    }
    if (d.parts && d.parts.length) {
      const ol = el('ul', null, { id: 'parts' });
      d.parts.forEach((x) => {
        const li = el('li');
        li.append(link((x.paragraph ? x.paragraph + ' ' : '') + x.title, { view: 'doc', id: x.id }));
        ol.append(li);
      });
      parts.push(el('h3', 'Paragrafer'), ol);
    }
    const nav = el('p');
    nav.append(link('Visa kedjan (spårning)', { view: 'trace', id: d.id }, { id: 'trace-link' }));
    if (d.questions.length || d.proposals.length) {
      nav.append(document.createTextNode(' · '),
        link('Svarsunderlag', { view: 'brief', id: d.id }, { id: 'brief-link' }));
    }
    parts.push(nav);
    for (const [title, items] of [['Frågor', d.questions], ['Förslag', d.proposals]]) {
      if (items.length) {
        const ol = el('ol');
        items.forEach((x) => ol.append(el('li', x)));
        parts.push(el('h3', title), ol);
      }
    }
    if (d.commitments.length) parts.push(el('h3', 'Åtaganden'), commitmentTable(d.commitments));
    if (d.links_out.length) parts.push(el('h3', 'Hänvisar till'), linkTable(d.links_out, 'out'));
    if (d.links_in.length) parts.push(el('h3', 'Hänvisas från'), linkTable(d.links_in, 'in'));
    parts.push(el('h3', 'Text'), highlighted(d.text, d.references), el('p', 'Källa: ' + d.source, { class: 'meta' }));
    v.replaceChildren(...parts);
    document.title = d.title + ' – Kedja';
  } catch (e) {
    failure(v, e);
  }
}

// ---------------------------------------------------------------- trace

async function traceView(id) {
  show('trace-view');
  const v = $('trace-view');
  v.replaceChildren(el('p', 'Hämtar …', { role: 'status' }));
  try {
    const t = await api('/api/documents/' + encodeURIComponent(id) + '/trace?depth=3');
    const root = t.nodes.find((n) => n.id === t.root);
    const parts = [el('h2', 'Kedjan kring: ' + (root ? root.title : t.root))];
    const ol = el('ol', undefined, { class: 'timeline' });
    for (const n of t.nodes) {
      const li = el('li', undefined, { class: (n.id === t.root ? 'root ' : '') + (n.unresolved ? 'unresolved' : '') });
      const head = el('div', [n.date || 'odaterad', n.kind_label].join(' · '), { class: 'meta' });
      li.append(head);
      if (n.unresolved) {
        li.append(el('div', '”' + n.title + '” – refererad, finns ännu inte i arkivet', { class: 'unresolved-node' }));
      } else {
        li.append(link(n.title, { view: 'doc', id: n.id }));
      }
      for (const e of t.edges.filter((x) => x.from === n.id)) {
        const target = t.nodes.find((x) => x.id === e.to);
        li.append(el('div', '→ ' + (LINK_LABELS[e.type] || e.type) + ' ' + (target ? target.title : e.to) + ': ”' + e.evidence + '”', { class: 'meta edge' }));
      }
      ol.append(li);
    }
    parts.push(ol);
    v.replaceChildren(...parts);
  } catch (e) {
    failure(v, e);
  }
}

// ---------------------------------------------------------------- brief

// Where a passage comes from: body, date, §, kind and title.
function passageSource(p) {
  return [p.body, p.date, p.paragraph, p.kind_label + ' ”' + p.title + '”'].filter(Boolean).join(', ');
}

function commitmentLine(c) {
  const due = c.deadline ? 'senast ' + c.deadline : c.cadence;
  return 'Åtagande: ' + [c.responsible, c.task, due].filter(Boolean).join(' – ') +
    '. Status: ' + c.status_label + (c.overdue ? ' (försenat)' : '');
}

function docUrl(id) {
  return location.origin + '/?view=doc&id=' + encodeURIComponent(id);
}

// The whole brief as plain text, ready to paste into a reply: each question
// with its passages, each passage with its source and a link, then the list
// of sources.
function briefText(b) {
  const lines = ['Svarsunderlag: ' + b.title,
    [b.kind_label, b.municipality, b.date].filter(Boolean).join(', ') + ' – ' + docUrl(b.id), ''];
  const sources = new Map();
  const ref = (p) => {
    if (!sources.has(p.doc_id)) sources.set(p.doc_id, { n: sources.size + 1, p });
    return '[' + sources.get(p.doc_id).n + ']';
  };
  const label = b.items_are === 'questions' ? 'Fråga' : 'Förslag';
  b.questions.forEach((q, i) => {
    lines.push(label + ' ' + (i + 1) + ': ' + q.question);
    if (!q.passages.length) lines.push('  Inget i arkivet berör frågan.');
    for (const p of q.passages) {
      lines.push('  – ”' + p.text + '”', '    ' + passageSource(p) + ' ' + ref(p));
      for (const c of p.commitments) lines.push('    ' + commitmentLine(c));
    }
    lines.push('');
  });
  if (sources.size) {
    lines.push('Källor');
    for (const { n, p } of sources.values()) {
      lines.push('[' + n + '] ' + passageSource(p) + '. ' + docUrl(p.doc_id) +
        (/^https?:/.test(p.source) ? ' (original: ' + p.source + ')' : ''));
    }
  }
  return lines.join('\n');
}

async function copyText(text, area) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    // No clipboard API (or no permission): copy the selected text area.
    area.select();
    return document.execCommand('copy');
  }
}

async function briefView(id) {
  show('brief-view');
  const v = $('brief-view');
  v.replaceChildren(el('p', 'Hämtar …', { role: 'status' }));
  try {
    const b = await api('/api/documents/' + encodeURIComponent(id) + '/brief');
    const parts = [el('h2', 'Svarsunderlag: ' + b.title)];
    const meta = el('p', [b.kind_label, b.municipality, b.date].filter(Boolean).join(' · ') + ' · ', { class: 'meta' });
    meta.append(link('Till dokumentet', { view: 'doc', id: b.id }));
    parts.push(meta);
    const text = briefText(b);
    const copy = el('button', 'Kopiera underlaget som text', { type: 'button', id: 'copy-brief' });
    const copied = el('span', '', { id: 'copy-status', role: 'status', class: 'meta' });
    const area = el('textarea', undefined, { id: 'brief-text', readonly: '', rows: '12' });
    area.value = text;
    copy.addEventListener('click', async () => {
      const ok = await copyText(text, area);
      copied.textContent = ok ? ' Kopierat – klistra in i svaret.' : ' Kunde inte kopiera; markera texten nedan.';
    });
    const bar = el('p');
    bar.append(copy, copied);
    parts.push(bar);
    const label = b.items_are === 'questions' ? 'Fråga' : 'Förslag';
    b.questions.forEach((q, i) => {
      const sec = el('section', undefined, { class: 'brief-item' });
      sec.append(el('h3', label + ' ' + (i + 1)), el('p', q.question, { class: 'question' }));
      if (!q.passages.length) sec.append(el('p', 'Inget i arkivet berör frågan.', { class: 'meta' }));
      for (const p of q.passages) {
        const fig = el('figure', undefined, { class: 'passage' });
        fig.append(el('blockquote', p.text));
        const cap = el('figcaption');
        cap.append(document.createTextNode([p.body, p.date, p.paragraph, p.kind_label].filter(Boolean).join(' · ') + ': '),
          link(p.title, { view: 'doc', id: p.doc_id }));
        fig.append(cap);
        for (const c of p.commitments) {
          fig.append(el('p', commitmentLine(c), {
            class: 'commitment ' + (c.overdue ? 'status-overdue' : (c.status === 'done' ? 'status-done' : '')),
          }));
        }
        sec.append(fig);
      }
      parts.push(sec);
    });
    const details = el('details');
    details.append(el('summary', 'Underlaget som text'), area);
    parts.push(details);
    v.replaceChildren(...parts);
    document.title = 'Svarsunderlag: ' + b.title + ' – Kedja';
  } catch (e) {
    failure(v, e);
  }
}

// ---------------------------------------------------------------- commitments

async function commitmentsView(p) {
  show('commitments-view');
  const v = $('commitments-view');
  v.replaceChildren(el('p', 'Hämtar …', { role: 'status' }));
  const params = new URLSearchParams();
  for (const f of ['municipality', 'status', 'body']) if (p.get(f)) params.set(f, p.get(f));
  if (p.get('overdue')) params.set('overdue', 'true');
  try {
    const r = await api('/api/commitments?' + params.toString());
    const parts = [el('h2', 'Åtaganden')];
    const filters = el('p', undefined, { class: 'filters' });
    const choice = (text, extra) => {
      const next = new URLSearchParams({ view: 'commitments' });
      if (p.get('municipality')) next.set('municipality', p.get('municipality'));
      for (const [k, val] of Object.entries(extra)) next.set(k, val);
      return link(text, next, { id: 'filter-' + (Object.values(extra)[0] || 'all') });
    };
    filters.append(choice('Alla', {}), document.createTextNode(' · '), choice('Öppna', { status: 'open' }),
      document.createTextNode(' · '), choice('Försenade', { overdue: '1' }),
      document.createTextNode(' · '), choice('Genomförda', { status: 'done' }));
    parts.push(filters, el('p', r.total + ' åtaganden, bedömda ' + r.today, { class: 'meta', role: 'status' }));
    // Atom feeds for a feed reader: newly overdue commitments and new reports.
    const feeds = el('p', 'Prenumerera: ', { class: 'meta' });
    const scope = p.get('municipality') ? '?municipality=' + encodeURIComponent(p.get('municipality')) : '';
    for (const [text, path] of [['försenade åtaganden', 'overdue'], ['nya rapporter', 'reports']]) {
      const a = el('a', text, { type: 'application/atom+xml', class: 'feed' });
      a.href = '/api/feeds/' + path + '.atom' + scope;
      feeds.append(a, document.createTextNode(path === 'overdue' ? ' · ' : ''));
    }
    parts.push(feeds);
    const byMunicipality = new Map();
    for (const c of r.commitments) {
      const m = c.municipality || 'Okänd kommun';
      if (!byMunicipality.has(m)) byMunicipality.set(m, []);
      byMunicipality.get(m).push(c);
    }
    for (const [m, cs] of [...byMunicipality.entries()].sort()) parts.push(el('h3', m), commitmentTable(cs));
    if (r.awaiting_decision.length) {
      parts.push(el('h3', 'Motioner utan beslut efter ett år'));
      const ul = el('ul');
      for (const a of r.awaiting_decision) {
        const li = el('li');
        li.append(link(a.title, { view: 'doc', id: a.id }), document.createTextNode(' – väckt ' + a.filed + ', skulle ha avgjorts senast ' + a.due));
        ul.append(li);
      }
      parts.push(ul);
    }
    v.replaceChildren(...parts);
  } catch (e) {
    failure(v, e);
  }
}

// ---------------------------------------------------------------- meetings

const ROLE_LABELS = { protocol: 'Protokoll', attachment: 'Bilaga' };

// A body's name: the meeting page's title without its date ("Vård- och
// omsorgsnämnden 2026-05-18"), else the slug as words ("Vard och
// omsorgsnamnden").
function bodyName(m) {
  if (m.title && m.date && m.title.endsWith(' ' + m.date)) return m.title.slice(0, -m.date.length - 1);
  const s = m.body.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function meetingLine(m) {
  const p = el('p', (ROLE_LABELS[m.role] || m.role) + (m.item ? ' till ' + m.item.label : '') + ' från ', { class: 'meta', id: 'doc-meeting' });
  p.append(link(m.title || bodyName(m) + ' ' + m.date, { view: 'meeting', id: m.id }));
  return p;
}

function fileItem(f) {
  const li = el('li');
  const label = f.title || f.name.replace(/-/g, ' ');
  if (f.doc_id) li.append(link(label, { view: 'doc', id: f.doc_id }));
  else li.append(el('span', label));
  if (f.item) li.append(el('span', ' · ' + f.item.label, { class: 'meta' }));
  if (!f.doc_id) {
    const why = f.state === 'failed' ? 'kunde inte hämtas' + (f.reason ? ' (' + f.reason + ')' : '')
      : f.state === 'queued' || f.state === 'fetched' ? 'inte hämtad ännu' : 'inte i arkivet';
    li.append(el('span', ' · ' + why, { class: 'meta' }));
  }
  return li;
}

async function meetingView(id) {
  show('meetings-view');
  const v = $('meetings-view');
  v.replaceChildren(el('p', 'Hämtar …', { role: 'status' }));
  try {
    const m = await api('/api/meetings/' + encodeURIComponent(id));
    const parts = [el('h2', m.title || bodyName(m) + ' ' + m.date)];
    parts.push(el('p', [m.municipality, bodyName(m), m.date].filter(Boolean).join(' · '), { class: 'meta' }));
    parts.push(el('h3', 'Protokoll'));
    if (m.protocol.length) {
      const ul = el('ul', undefined, { id: 'meeting-protocol' });
      m.protocol.forEach((f) => ul.append(fileItem(f)));
      parts.push(ul);
    } else {
      parts.push(el('p', 'Protokollet är inte justerat ännu; sammanträdet besöks igen vid nästa hämtning.', { class: 'meta' }));
    }
    if (m.sections.length) {
      // The protocol's §§, each with the attachments of the item it decides.
      parts.push(el('h3', 'Paragrafer (' + m.sections.length + ')'));
      const byUrl = new Map(m.attachments.map((f) => [f.url, f]));
      const ol = el('ol', undefined, { id: 'meeting-sections', class: 'sections' });
      for (const s of m.sections) {
        const li = el('li');
        li.append(link([s.paragraph, s.title].filter(Boolean).join(' '), { view: 'doc', id: s.doc_id }));
        if (s.attachments.length) {
          const sub = el('ul', undefined, { class: 'section-record' });
          for (const a of s.attachments) {
            const f = byUrl.get(a.url);
            const item = f ? fileItem(f) : el('li', a.url);
            item.title = a.evidence;
            sub.append(item);
          }
          li.append(sub);
        }
        ol.append(li);
      }
      parts.push(ol);
    }
    parts.push(el('h3', 'Bilagor (' + m.attachments.length + ')'));
    const ul = el('ul', undefined, { id: 'meeting-attachments' });
    m.attachments.forEach((f) => ul.append(fileItem(f)));
    parts.push(ul);
    const src = el('p', 'Källa: ', { class: 'meta' });
    const a = el('a', m.url);
    a.href = m.url;
    src.append(a, document.createTextNode(' · hämtad ' + m.checked_at));
    parts.push(src);
    v.replaceChildren(...parts);
    document.title = (m.title || bodyName(m) + ' ' + m.date) + ' – Kedja';
  } catch (e) {
    failure(v, e);
  }
}

async function meetingsView(p) {
  show('meetings-view');
  const v = $('meetings-view');
  v.replaceChildren(el('p', 'Hämtar …', { role: 'status' }));
  try {
    const q = new URLSearchParams({ limit: 200 });
    for (const k of ['municipality', 'body', 'from', 'to']) if (p.get(k)) q.set(k, p.get(k));
    const r = await api('/api/meetings?' + q.toString());
    const parts = [el('h2', 'Sammanträden'), el('p', r.total + ' sammanträden', { class: 'meta', role: 'status' })];
    const table = el('table', undefined, { id: 'meetings' });
    const head = el('tr');
    for (const h of ['Datum', 'Organ', 'Kommun', 'Protokoll', 'Dokument']) head.append(el('th', h, { scope: 'col' }));
    table.append(head);
    for (const m of r.meetings) {
      const tr = el('tr');
      const date = el('td');
      date.append(link(m.date, { view: 'meeting', id: m.id }));
      const body = el('td');
      body.append(link(bodyName(m), { view: 'meetings', body: m.body }));
      tr.append(date, body, el('td', m.municipality || '–'),
        el('td', m.has_protocol ? 'Justerat' : 'Inte justerat ännu', { class: m.has_protocol ? 'status-done' : '' }),
        el('td', m.documents + ' av ' + m.files));
      table.append(tr);
    }
    parts.push(table);
    v.replaceChildren(...parts);
    document.title = 'Sammanträden – Kedja';
  } catch (e) {
    failure(v, e);
  }
}

// ---------------------------------------------------------------- routing

function route() {
  const p = new URLSearchParams(location.search);
  const view = p.get('view');
  if (view === 'doc' && p.get('id')) documentView(p.get('id'));
  else if (view === 'trace' && p.get('id')) traceView(p.get('id'));
  else if (view === 'brief' && p.get('id')) briefView(p.get('id'));
  else if (view === 'commitments') commitmentsView(p);
  else if (view === 'meeting' && p.get('id')) meetingView(p.get('id'));
  else if (view === 'meetings') meetingsView(p);
  else if (p.get('q')) search(p);
  else {
    show('search-view');
    $('status').textContent = '';
    $('hits').replaceChildren();
    $('facets').replaceChildren();
    $('pager').replaceChildren();
    $('watch').replaceChildren();
    $('q').focus();
  }
}
window.addEventListener('popstate', route);
route();
