// The scripts the explorer runs in a page (crawler/explore/scripts.py reads them): each
// section is one expression Playwright evaluates, named by its `// @NAME` line.

// @INIT
(() => {
  if (window.__xplr) { return; }
  const listens = new WeakMap();
  const opened = [];
  window.__xplr = {listens: listens, opened: opened, elements: []};
  const watched = new Set(['click', 'mousedown', 'mouseup', 'pointerdown', 'touchstart',
                           'change', 'input', 'submit', 'scroll', 'wheel']);
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (watched.has(type)) {
      const types = listens.get(this) || new Set();
      types.add(type);
      listens.set(this, types);
    }
    return add.call(this, type, listener, options);
  };
  // a window the page opens is recorded (absolute, as the browser would resolve it), not opened
  window.open = function (url) {
    let target = String(url || '');
    try { target = new URL(target, document.baseURI).href; } catch (e) { /* kept as given */ }
    opened.push(target);
    return null;
  };
  const stay = (event) => {
    const target = event.target && event.target.closest && event.target.closest('a[target], form[target]');
    if (target) { target.removeAttribute('target'); }
  };
  // the explorer's own listeners are not the page's (the original addEventListener)
  add.call(document, 'click', stay, true);
  add.call(document, 'submit', stay, true);
})();

// @CANDIDATES
() => {
  const x = window.__xplr || {listens: new WeakMap(), opened: [], elements: []};
  window.__xplr = x;
  x.elements = [];
  const out = [];
  const text = (el) => (el.innerText || el.textContent || el.value || '').replace(/\s+/g, ' ').trim();
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const listens = (el) => Array.from(x.listens.get(el) || []);
  const clicks = (target) => {
    const types = x.listens.get(target);
    return !!(types && (types.has('click') || types.has('mousedown')));
  };
  const delegated = (el) => {
    for (let up = el.parentElement, depth = 0; up && depth < 6; up = up.parentElement, depth++) {
      if (clicks(up)) { return depth + 1; }
    }
    return 0;
  };
  // a listener on the document (or the window, the html or body element) handles every
  // click: it makes rows clickable ($(document).on('click', '.row', …)), not every element
  const everywhere = clicks(document) || clicks(window) || clicks(document.documentElement) ||
    clicks(document.body);
  const attrs = (el) => {
    const found = {};
    for (const a of el.attributes) {
      if (a.name.startsWith('data-') || ['id', 'class', 'onclick', 'href', 'value', 'name', 'type', 'title'].includes(a.name)) {
        found[a.name] = a.value.slice(0, 300);
      }
    }
    return found;
  };
  const longest = (el) => {
    let best = '';
    for (const child of el.querySelectorAll('*')) {
      if (child.children.length) { continue; }
      const t = text(child);
      if (t.length > best.length) { best = t; }
    }
    return best.slice(0, 120);
  };
  const shape = (el) => el.tagName.toLowerCase() + '|' + Array.from(el.attributes).map(a => a.name)
    .filter(n => n.startsWith('data-') || n === 'class').sort().join(',');
  const region = (el) => {
    const parts = [];
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      parts.push((up.tagName + ' ' + (up.id || '') + ' ' + (up.className && up.className.baseVal === undefined ? up.className : '')).toLowerCase());
    }
    return parts.join('>').slice(0, 400);
  };
  const siblings = (el) => {
    const parent = el.parentElement;
    return parent ? Array.from(parent.children).filter(c => shape(c) === shape(el)).length : 1;
  };
  const add = (el, extra) => {
    const same = siblings(el);
    x.elements.push(el);
    out.push(Object.assign({
      index: x.elements.length - 1,
      tag: el.tagName.toLowerCase(),
      text: text(el).slice(0, 120),
      attrs: attrs(el),
      listens: listens(el),
      handler: typeof el.onclick === 'function' || typeof el.onchange === 'function',
      delegated: delegated(el),
      pointer: getComputedStyle(el).cursor === 'pointer',
      siblings: same,
      links: el.querySelectorAll('a[href]:not([href^="javascript"]):not([href^="#"])').length,
      disabled: !!el.disabled || el.getAttribute('aria-disabled') === 'true',
      // inside a form a visitor writes into (a message, a login): never sent by the explorer
      writes: !!(el.closest('form') && el.closest('form').querySelector('textarea, input[type=password], input[type=file]')),
      region: region(el),
      longest: longest(el),
    }, extra || {}));
  };
  const all = document.querySelectorAll('body *');
  for (const el of all) {
    if (out.length >= 800) { break; }
    const tag = el.tagName.toLowerCase();
    if (['script', 'style', 'option', 'html', 'body', 'head', 'svg', 'path', 'br', 'img'].includes(tag)) { continue; }
    const href = tag === 'a' ? (el.getAttribute('href') || '').trim() : null;
    // a route in a menu shown on hover (a drop-down) is one a visitor reaches: kept, hidden
    const hidden = !visible(el);
    if (hidden && !(href && /^#!?\//.test(href))) { continue; }
    if (tag === 'select') {
      const options = Array.from(el.options).map(o => ({value: o.value, text: text(o).slice(0, 60), selected: o.selected}));
      add(el, {options: options});
      continue;
    }
    const scriptHref = href !== null && (href === '' || href.startsWith('#') || /^javascript:/i.test(href));
    if (href !== null && !scriptHref) { continue; }
    const ownHandler = el.hasAttribute('onclick') || typeof el.onclick === 'function' || listens(el).length > 0;
    const button = tag === 'button' || (tag === 'input' && ['button', 'submit', 'image'].includes((el.type || '').toLowerCase()));
    const pointer = getComputedStyle(el).cursor === 'pointer' && !(el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer');
    const data = Array.from(el.attributes).some(a => a.name.startsWith('data-'));
    const row = data && everywhere && siblings(el) >= 3;
    if (hidden) {
      add(el, {hidden: true});
    } else if (scriptHref || ownHandler || button || pointer || (data && delegated(el)) || row) {
      add(el, row && !delegated(el) ? {delegated: 9} : undefined);
    }
  }
  // a container of other candidates (a delegating list, a tab bar) is not one itself
  for (const c of out) {
    const el = x.elements[c.index];
    c.inner = out.filter(o => o.index !== c.index && el.contains(x.elements[o.index])).length;
  }
  return out;
}

// @LINKS
() => Array.from(document.querySelectorAll('a[href]')).map(a => {
  const label = (a.innerText || a.textContent || '').replace(/\s+/g, '');
  const title = (a.getAttribute('title') || '').replace(/\s+/g, '');
  return [a.href, title.length > label.length ? title : label];
}).filter(([href]) => /^https?:/i.test(href))

// @OPENED
() => (window.__xplr ? window.__xplr.opened.splice(0) : [])

// @VALUES
() => {
  const sets = [];
  for (const select of document.querySelectorAll('select')) {
    sets.push({kind: 'select', name: select.name || select.id || '', values: Array.from(select.options).map(o => o.value)});
  }
  const groups = new Map();
  for (const el of document.querySelectorAll('body *')) {
    for (const a of el.attributes) {
      if (!a.name.startsWith('data-') || !el.parentElement) { continue; }
      const key = a.name;
      const parent = el.parentElement;
      if (!groups.has(parent)) { groups.set(parent, new Map()); }
      const byName = groups.get(parent);
      if (!byName.has(key)) { byName.set(key, []); }
      byName.get(key).push(a.value);
    }
  }
  for (const byName of groups.values()) {
    for (const [name, values] of byName) {
      if (values.length > 1 && values.length <= 60) { sets.push({kind: 'attribute', name: name, values: values}); }
    }
  }
  return sets;
}

// @SCROLL
() => { window.scrollTo(0, document.body.scrollHeight); return document.body.scrollHeight; }

// @HEIGHT
() => [document.body.scrollHeight, window.innerHeight]

// @FRAMES
() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))
