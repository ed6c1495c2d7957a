import { createHash } from 'node:crypto';

/**
 * The web chat page: one self-contained document, no build step and no external assets.
 * Message text is only ever set with `textContent`, links only with http(s) URLs, so nothing
 * the bot, an agent or the customer writes can become markup or script.
 */

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f3f5f8}
header{padding:10px 16px;background:#0b5cab;color:#fff}
header h1{margin:0;font-size:17px}
header p{margin:2px 0 0;font-size:13px;opacity:.85}
main{display:flex;gap:12px;padding:12px;height:calc(100vh - 62px)}
#chat{flex:2;display:flex;flex-direction:column;min-width:0}
#log,#desk{flex:1;overflow-y:auto;background:#fff;border:1px solid #d5dae3;border-radius:8px;padding:10px}
aside{flex:1;display:flex;flex-direction:column;min-width:0}
aside h2{margin:0 0 6px;font-size:15px}
aside p{margin:0 0 6px;font-size:12px;color:#4a5568}
.msg{margin:0 0 10px;padding:8px 10px;border-radius:8px;background:#eef2f7;max-width:90%}
.msg .who{font-size:12px;font-weight:600;color:#4a5568;margin-bottom:2px}
.msg .text{white-space:pre-wrap;overflow-wrap:anywhere}
.msg.you{margin-left:auto;background:#dcebfb}
.msg.agent{background:#e6f4ea;border-left:4px solid #2e7d32}
.msg.helpdesk{background:#fff7e0}
.msg.command{background:#f1f1f1;font-family:ui-monospace,monospace;font-size:13px}
.msg.system{background:#fdecea;color:#8a1c1c}
.msg a{display:block;margin-top:4px;color:#0b5cab}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
button{font:inherit;padding:5px 12px;border-radius:6px;border:1px solid #0b5cab;background:#fff;color:#0b5cab;cursor:pointer}
button.primary,#send{background:#0b5cab;color:#fff}
button.danger{border-color:#b3261e;color:#b3261e}
button:disabled{opacity:.5;cursor:default}
button.picked:disabled{opacity:1;background:#0b5cab;color:#fff}
.msg .answered{margin-top:6px;font-size:13px;color:#2e7d32}
form{display:flex;gap:8px;margin-top:8px}
#text{flex:1;font:inherit;padding:8px;border:1px solid #c3cad6;border-radius:6px}
#status{min-height:18px;font-size:12px;color:#8a1c1c}
@media (max-width:700px){main{flex-direction:column;height:auto}#chat{height:calc(100vh - 86px)}#log{min-height:0}#desk{min-height:40vh}}
`;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var lang = (navigator.language || 'it').toLowerCase().indexOf('en') === 0 ? 'en' : 'it';
  var words = {
    it: { send: 'Invia', placeholder: 'Scrivi un messaggio…', you: 'Tu', bot: 'Guida', agent: 'assistenza', helpdesk: 'Helpdesk', offline: 'Il server non risponde, riprovo…' },
    en: { send: 'Send', placeholder: 'Type a message…', you: 'You', bot: 'Guide', agent: 'helpdesk', helpdesk: 'Helpdesk', offline: 'The server does not answer, retrying…' }
  }[lang];
  var log = document.getElementById('log');
  var desk = document.getElementById('desk');
  var form = document.getElementById('form');
  var input = document.getElementById('text');
  var status = document.getElementById('status');
  var last = 0;
  var polling = null;
  var clicked = false; // the customer's last answer was a button
  document.documentElement.lang = lang;
  document.getElementById('send').textContent = words.send;
  input.placeholder = words.placeholder;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function newId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function webUrl(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
    } catch (e) { return null; }
  }
  function who(m) {
    if (m.from === 'agent') return m.agentName + ' (' + words.agent + ')';
    if (m.from === 'you' || m.from === 'command') return words.you;
    if (m.from === 'bot') return words.bot;
    return words.helpdesk;
  }
  function choiceButton(c) {
    var button = el('button', 'choice' + (c.style ? ' ' + c.style : ''), c.label);
    button.type = 'button';
    button.addEventListener('click', function () {
      if (c.confirm && !window.confirm(c.confirm.title ? c.confirm.title + '\n\n' + c.confirm.text : c.confirm.text)) return;
      spend(button.parentNode, button);
      clicked = true;
      send({ choiceId: c.id });
    });
    return button;
  }
  // A question's buttons are spent once answered (or once a newer question came): disabled, the pick shown.
  function spend(row, picked) {
    if (!row || row.getAttribute('data-spent')) return;
    row.setAttribute('data-spent', 'yes');
    Array.prototype.forEach.call(row.querySelectorAll('button'), function (b) { b.disabled = true; });
    if (!picked) return;
    picked.className += ' picked';
    picked.setAttribute('aria-pressed', 'true');
    row.parentNode.appendChild(el('div', 'answered', '\u2714 ' + picked.textContent));
  }
  function render(m) {
    if (m.seq !== undefined && m.seq <= last) return; // already shown
    if (m.choices && m.choices.length && m.from !== 'helpdesk' && m.from !== 'command') {
      Array.prototype.forEach.call(log.querySelectorAll('.choices'), function (row) { spend(row, null); });
    }
    var panel = m.from === 'helpdesk' || m.from === 'command' ? desk : log;
    var box = el('div', 'msg ' + m.from);
    box.appendChild(el('div', 'who', who(m)));
    box.appendChild(el('div', 'text', m.text));
    (m.links || []).forEach(function (link) {
      var href = webUrl(link.url);
      if (!href) return;
      var a = el('a', 'link', link.label);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      box.appendChild(a);
    });
    if (m.choices && m.choices.length) {
      var row = el('div', 'choices');
      m.choices.forEach(function (c) { row.appendChild(choiceButton(c)); });
      box.appendChild(row);
    }
    panel.appendChild(box);
    panel.scrollTop = panel.scrollHeight;
    if (panel !== log) return;
    box.scrollIntoView({ block: 'nearest' });
    input.scrollIntoView({ block: 'nearest' });
    // Focus follows the conversation to the new question, unless the customer is typing.
    var first = box.querySelector('button');
    var typing = document.activeElement === input && (!clicked || input.value);
    if (first && !typing) first.focus({ preventScroll: true });
  }
  function note(text) {
    var box = el('div', 'msg system');
    box.appendChild(el('div', 'text', text));
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }
  // One poll at a time: two polls with the same cursor would show the same messages twice.
  function poll() {
    polling = (polling || Promise.resolve()).then(pollOnce);
    return polling;
  }
  function pollOnce() {
    return fetch('/local/chat/messages?after=' + last, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (body) {
        if (body.last < last) last = 0; // the server restarted: its numbers start again
        body.messages.forEach(function (m) { render(m); if (m.seq > last) last = m.seq; });
        last = Math.max(last, body.last);
        status.textContent = '';
        return body;
      })
      .catch(function () { status.textContent = words.offline; return null; });
  }
  function send(body) {
    body.id = newId();
    body.locale = lang;
    return fetch('/local/chat', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
      .then(function (r) {
        if (r.ok) return;
        return r.json().catch(function () { return {}; }).then(function (answer) { note(answer.text || answer.error || String(r.status)); });
      })
      .catch(function () { note(words.offline); })
      .then(poll);
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    clicked = false;
    send({ text: text });
  });
  function loop() { setTimeout(function () { poll().then(loop); }, 1000); }
  poll().then(function (body) {
    if (body && body.messages.length === 0 && body.last === 0) return send({ start: true });
  }).then(loop);
  input.focus();
})();
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: only this page's own inline style and script, fetches to itself. */
export const WEB_CHAT_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The whole page, served as is by `GET /`. */
export const WEB_CHAT_PAGE = `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsid-assistant · chat locale / local chat</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>tsid-assistant</h1>
<p>Chat locale per provare la guida senza Slack o Teams · Local chat to try the guide without Slack or Teams</p>
</header>
<main>
<section id="chat">
<div id="log" aria-live="polite"></div>
<div id="status" role="status"></div>
<form id="form" autocomplete="off">
<input id="text" maxlength="2000" aria-label="Messaggio / Message">
<button id="send" type="submit">Invia</button>
</form>
</section>
<aside>
<h2>Helpdesk</h2>
<p>Ciò che vedrebbe l'assistenza · What the helpdesk would see. Fai l'operatore / Play the agent:
/agent take NAME · /agent say NAME: text · /agent back STEP · /agent close · /login EMAIL</p>
<div id="desk" aria-live="polite"></div>
</aside>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
