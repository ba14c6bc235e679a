// The web chat page: sends what the citizen types or taps, shows the bot's replies.
// Every text is inserted with textContent, never as HTML.
(function () {
  'use strict';
  var log = document.getElementById('log');
  var form = document.getElementById('composer');
  var input = document.getElementById('input');
  var errorBox = document.getElementById('error');
  var cursor = 0;
  var polling = false;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'x' + Date.now().toString(36) + Math.random().toString(36).slice(2, 14) + Math.random().toString(36).slice(2, 14);
  }
  var sessionId = localStorage.getItem('dvcbot.session');
  if (!sessionId || !/^[A-Za-z0-9-]{16,64}$/.test(sessionId)) {
    sessionId = newId();
    localStorage.setItem('dvcbot.session', sessionId);
  }

  function applyStrings(s) {
    var set = function (id, key, attr) {
      var el = document.getElementById(id);
      if (el && s[key]) { if (attr) el.setAttribute(attr, s[key]); else el.textContent = s[key]; }
    };
    set('title', 'title'); set('subtitle', 'subtitle'); set('privacy', 'privacy'); set('send', 'send');
    set('input-label', 'input_label'); set('input', 'placeholder', 'placeholder'); set('log', 'log_label', 'aria-label');
    if (s.title) document.title = s.title;
    window.__strings = s;
  }

  function addBubble(cls, text) {
    var div = document.createElement('div');
    div.className = 'msg ' + cls;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function showItems(items) {
    items.forEach(function (item) {
      var div = addBubble('bot', item.text);
      if (item.buttons && item.buttons.length) {
        var row = document.createElement('div');
        row.className = 'buttons';
        item.buttons.forEach(function (b) {
          var el;
          if (b.kind === 'url') {
            el = document.createElement('a');
            el.href = /^https:\/\//.test(b.url) ? b.url : '#';
            el.target = '_blank';
            el.rel = 'noopener noreferrer';
          } else {
            el = document.createElement('button');
            el.type = 'button';
            el.addEventListener('click', function () {
              addBubble('me', b.label);
              send({ option: { index: b.index, menuSeq: item.menuSeq } });
            });
          }
          el.textContent = b.label;
          row.appendChild(el);
        });
        div.appendChild(row);
      }
    });
    log.scrollTop = log.scrollHeight;
  }

  function send(payload) {
    payload.sessionId = sessionId;
    payload.messageId = newId();
    payload.after = cursor;
    errorBox.hidden = true;
    return fetch('/api/web/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (data) {
      if (data.cursor < cursor) cursor = 0; // the server's numbering started again (its store was reset)
      var fresh = data.items.filter(function (i) { return i.seq > cursor; });
      cursor = Math.max(cursor, data.cursor);
      showItems(fresh);
    }).catch(function () {
      errorBox.textContent = (window.__strings && window.__strings.error) || 'Error';
      errorBox.hidden = false;
    });
  }

  function poll() {
    if (polling) return;
    polling = true;
    fetch('/api/web/messages?sessionId=' + encodeURIComponent(sessionId) + '&after=' + cursor)
      .then(function (r) { return r.ok ? r.json() : { items: [], cursor: cursor }; })
      .then(function (data) {
        if (data.cursor < cursor) cursor = 0; // the server's numbering started again (its store was reset)
        var fresh = data.items.filter(function (i) { return i.seq > cursor; });
        cursor = Math.max(cursor, data.cursor);
        showItems(fresh);
        polling = false;
        setTimeout(poll, 200);
      })
      .catch(function () { polling = false; setTimeout(poll, 5000); });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    addBubble('me', text);
    input.value = '';
    send({ text: text });
    input.focus();
  });

  fetch('/api/web/strings?lang=' + (document.documentElement.lang === 'en' ? 'en' : 'vi'))
    .then(function (r) { return r.json(); }).then(applyStrings).catch(function () {});
  send({ start: true }).then(poll);
  input.focus();
})();
