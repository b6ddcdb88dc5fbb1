// Kedja's search page: runs searches against /api/search and shows a
// document from /api/documents/{id}. The URL holds the search.
const form = document.getElementById('search');
const q = document.getElementById('q');
const statusEl = document.getElementById('status');
const hitsEl = document.getElementById('hits');
const docEl = document.getElementById('doc');

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function api(path) {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
  return body;
}

async function search(query) {
  docEl.hidden = true;
  hitsEl.replaceChildren();
  statusEl.textContent = 'Söker …';
  try {
    const r = await api('/api/search?limit=20&q=' + encodeURIComponent(query));
    statusEl.textContent = r.total + ' träffar';
    for (const h of r.hits) {
      const li = el('li');
      const a = el('a', h.title || '(utan titel)');
      a.href = '?doc=' + h.id;
      a.addEventListener('click', (ev) => { ev.preventDefault(); history.pushState({}, '', a.href); show(h.id); });
      li.append(a, el('div', [h.kind, h.municipality, h.date].filter(Boolean).join(' · '), 'meta'));
      const s = el('div', undefined, 'snippet');
      s.innerHTML = h.snippet; // the server escapes the text and marks hits with <b>
      li.append(s);
      hitsEl.append(li);
    }
  } catch (e) {
    statusEl.textContent = 'Fel: ' + e.message;
  }
}

async function show(id) {
  try {
    const d = await api('/api/documents/' + encodeURIComponent(id));
    docEl.replaceChildren(
      el('h2', d.title),
      el('p', [d.kind_label, d.municipality, d.date, d.body].filter(Boolean).join(' · '), 'meta'),
      el('p', d.authors.map((a) => a.name + (a.party ? ' (' + a.party + ')' : '')).join(', ')),
    );
    if (d.questions.length) {
      const ol = el('ol');
      d.questions.forEach((x) => ol.append(el('li', x)));
      docEl.append(el('h3', 'Frågor'), ol);
    }
    docEl.append(el('h3', 'Text'), el('pre', d.text), el('p', 'Källa: ' + d.source, 'meta'));
    docEl.hidden = false;
    hitsEl.replaceChildren();
    statusEl.textContent = '';
  } catch (e) {
    statusEl.textContent = 'Fel: ' + e.message;
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  history.pushState({}, '', '?q=' + encodeURIComponent(q.value));
  search(q.value);
});

function route() {
  const p = new URLSearchParams(location.search);
  if (p.get('doc')) show(p.get('doc'));
  else if (p.get('q')) { q.value = p.get('q'); search(p.get('q')); }
}
window.addEventListener('popstate', route);
route();
