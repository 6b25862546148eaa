// Convene's pages work without this script; it adds the slot picker's taps, agenda editing in place,
// uploads with a progress bar and the live view's refresh. Plain JavaScript, no libraries.
(function () {
  'use strict';
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // ---- a one-time form (a sign-in link's button) goes once: a second tap would find the link used ----
  $$('form[data-once]').forEach(form => form.addEventListener('submit', e => {
    if (form.dataset.sent) e.preventDefault();
    form.dataset.sent = '1';
  }));

  // ---- free-slot picker: a tap fills the date and time ----
  $$('.slot').forEach(btn => btn.addEventListener('click', () => {
    $('#date').value = btn.dataset.date;
    $('#time').value = btn.dataset.time;
    $('#date').dispatchEvent(new Event('change'));
    $$('.slot').forEach(b => b.setAttribute('aria-pressed', String(b === btn)));
  }));

  // ---- observer units: asked for a pilot meeting, or when some are invited already ----
  const kind = $('#kind');
  const observers = $('[data-testid=observers]');
  if (kind && observers) {
    const showObservers = () => {
      observers.hidden = kind.value !== 'pilot' && !$$('input[type=checkbox]', observers).some(b => b.checked);
    };
    kind.addEventListener('change', showObservers);
    showObservers();
  }

  // ---- repeat: what each choice means for the chosen date, and only the fields the choice needs ----
  const repeat = $('#repeat');
  if (repeat) {
    const names = repeat.dataset.weekdays.split(','); // Monday first
    const nth = repeat.dataset.nth.split('|'); // first … fourth, last
    const dateInput = $('#date');
    const detail = k => $('[data-detail="' + k + '"]', repeat);
    const fill = () => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value);
      if (!m) { ['weekly', 'monthly', 'lunar'].forEach(k => { detail(k).textContent = ''; }); return; }
      const day = Number(m[3]);
      const name = names[(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, day)).getUTCDay() + 6) % 7];
      detail('weekly').textContent = '(' + name + ')';
      detail('monthly').textContent = '(' + nth[Math.floor((day - 1) / 7)].replace('{0}', name) + ')';
      // the lunar day is the server's reckoning: shown for the date it was given, not guessed here
      if (dateInput.value !== dateInput.defaultValue) detail('lunar').textContent = '';
    };
    const show = () => {
      const chosen = $('input[name=repeat]:checked', repeat);
      const value = chosen ? chosen.value : 'none';
      $('#repeat-rule').hidden = value !== 'custom';
      $('#repeat-more').hidden = value === 'none';
    };
    dateInput.addEventListener('change', fill);
    dateInput.addEventListener('input', fill);
    repeat.addEventListener('change', show);
    fill();
    show();
  }

  // ---- agenda: add, remove, move up and down ----
  const list = $('#agenda-list');
  if (list) {
    const blank = list.querySelector('.agenda-item').cloneNode(true);
    blank.querySelectorAll('input').forEach(i => { i.value = ''; });
    list.addEventListener('click', e => {
      const btn = e.target.closest('button');
      if (!btn) return;
      const item = btn.closest('.agenda-item');
      if (btn.hasAttribute('data-remove')) {
        if (list.children.length > 1) item.remove();
        else item.querySelectorAll('input').forEach(i => { i.value = ''; });
        const first = list.querySelector('input');
        if (first) first.focus();
      } else if (btn.dataset.move === 'up' && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
        btn.focus();
      } else if (btn.dataset.move === 'down' && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
        btn.focus();
      }
    });
    $('#agenda-add').addEventListener('click', () => {
      const item = blank.cloneNode(true);
      list.appendChild(item);
      item.querySelector('input').focus();
    });
  }

  // ---- materials: upload with progress, type and size errors beside the field ----
  const upload = $('#upload-form');
  if (upload) {
    const input = $('#file', upload);
    const bar = $('#upload-progress', upload);
    const error = $('#file-err', upload);
    const max = Number(upload.dataset.max);
    const show = message => { error.textContent = message || ''; input.setAttribute('aria-invalid', message ? 'true' : 'false'); };
    input.addEventListener('change', () => {
      const f = input.files[0];
      show(f && f.size > max ? upload.dataset.tooLarge : '');
    });
    upload.addEventListener('submit', e => {
      e.preventDefault();
      const f = input.files[0];
      if (!f) { show(upload.dataset.choose); return; }
      if (f.size > max) { show(upload.dataset.tooLarge); return; }
      show('');
      const xhr = new XMLHttpRequest();
      xhr.open('POST', upload.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('X-CSRF-Token', upload.elements.csrf.value);
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.onprogress = ev => { if (ev.lengthComputable) bar.value = Math.round(100 * ev.loaded / ev.total); };
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON: a proxy's page */ }
        if (xhr.status === 201 && body.material) {
          bar.value = 100;
          const li = document.createElement('li');
          li.setAttribute('data-testid', 'material');
          const a = document.createElement('a');
          a.href = body.material.url;
          a.textContent = body.material.filename;
          const size = document.createElement('span');
          size.className = 'muted small';
          size.textContent = ' ' + body.material.size;
          li.append(a, size);
          (body.material.warnings || []).forEach(w => {
            const p = document.createElement('p');
            p.className = 'notice small';
            p.setAttribute('data-testid', 'material-warning');
            p.textContent = w;
            li.append(p);
          });
          $('#material-list').appendChild(li);
          const none = $('#materials-none');
          if (none) none.hidden = true;
          input.value = '';
          setTimeout(() => { bar.hidden = true; }, 800);
        } else {
          bar.hidden = true;
          show(body.message || (body.error && body.error.message) || upload.dataset.failed);
        }
      };
      xhr.onerror = () => { bar.hidden = true; show(upload.dataset.failed); };
      const data = new FormData();
      data.append('csrf', upload.elements.csrf.value);
      ['confidential', 'observersMayView'].forEach(n => { const box = upload.elements[n]; if (box && box.checked) data.append(n, 'true'); });
      data.append('file', f);
      xhr.send(data);
    });
  }

  // ---- attendance: the count follows the taps before they are confirmed ----
  const count = $('[data-testid=attendance-count]');
  const attForm = $('[data-testid=attendance-form]');
  if (count && attForm) {
    const template = count.dataset.template;
    const recount = () => {
      const persons = $$('fieldset.person', attForm).length;
      const present = $$('input[value=present]:checked', attForm).length;
      count.textContent = template.replace('{0}', present).replace('{1}', persons);
    };
    attForm.addEventListener('change', recount);
  }

  // ---- a confidential document's pages: no "save image" menu (the name on each page stays the real guard) ----
  document.querySelectorAll('.pages').forEach(p => p.addEventListener('contextmenu', e => e.preventDefault()));

  // ---- live view: the tally, the ledger and the deliveries refresh every few seconds ----
  const live = $('#live');
  if (live) {
    const body = $('#ledger-body');
    const cell = (label, key) => { const td = document.createElement('td'); td.dataset.label = label; td.dataset.k = key; return td; };
    const pill = (cls, text, testid) => {
      const s = document.createElement('span');
      s.className = 'pill ' + cls;
      s.textContent = text;
      if (testid) s.setAttribute('data-testid', testid);
      return s;
    };
    const render = data => {
      Object.entries(data.summary).forEach(([k, v]) => { const el = $('[data-sum="' + k + '"]'); if (el) el.textContent = v; });
      body.replaceChildren(...data.members.filter(m => !m.observer).map(m => {
        const tr = document.createElement('tr');
        tr.setAttribute('data-testid', 'ledger-row-' + m.memberId);
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = m.name;
        const sent = cell(body.dataset.lSent, 'sent');
        sent.className = 'time';
        sent.textContent = m.sent;
        const received = cell(body.dataset.lReceived, 'received');
        received.className = 'time';
        received.textContent = m.received;
        received.setAttribute('data-testid', 'ledger-received-' + m.memberId);
        if (m.documentsState) received.append(' ', pill(m.documentsState, m.documents, 'ledger-documents-' + m.memberId));
        const rsvp = cell(body.dataset.lRsvp, 'rsvp');
        const reason = document.createElement('span');
        reason.className = 'reason';
        reason.textContent = ' ' + m.reason;
        const source = document.createElement('span');
        source.className = 'muted small';
        source.textContent = ' ' + m.source;
        const v = document.createElement('span');
        v.className = 'v';
        v.append(pill(m.rsvpState, m.rsvp, 'ledger-rsvp-' + m.memberId), reason, source);
        rsvp.append(v);
        const attended = cell(body.dataset.lAttended, 'attended');
        attended.append(pill(m.attendedState, m.attended));
        tr.append(th, sent, received, rsvp, attended);
        return tr;
      }));
      const chats = $('#chat-deliveries');
      if (data.chats.length) {
        chats.replaceChildren(...data.chats.map(c => {
          const li = document.createElement('li');
          if (c.failed) li.className = 'failed';
          const name = document.createElement('strong');
          name.textContent = c.chat;
          const meta = document.createElement('span');
          meta.className = 'muted small';
          meta.textContent = ' ' + c.platform + ' · ' + c.chatState;
          const counts = document.createElement('span');
          counts.textContent = c.counts;
          li.append(name, meta, document.createElement('br'), counts);
          if (c.lastError) {
            const err = document.createElement('span');
            err.className = 'err';
            err.setAttribute('data-testid', 'delivery-error');
            err.textContent = c.lastError;
            li.append(document.createElement('br'), err);
          }
          return li;
        }));
      }
    };
    const poll = () => fetch(live.dataset.liveUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(r => (r.ok ? r.json() : null)).then(data => { if (data) render(data); }).catch(() => {});
    setInterval(() => { if (!document.hidden) poll(); }, 3000);
  }
})();
