namespace PaxosLabs.Simulation;

/// <summary>
/// The style, legend, arrowheads and script of <see cref="HtmlTrace"/>'s page, all inline. They
/// hold no '&lt;' or '&amp;' outside the script's CDATA section, so the page stays well-formed XML.
/// </summary>
public static partial class HtmlTrace
{
    private const string Markers = """
        <defs>
        <marker id="ah-req" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#2563eb"/></marker>
        <marker id="ah-rep" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#059669"/></marker>
        <marker id="ah-copy" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#d97706"/></marker>
        </defs>

        """;

    private const string Legend = """
        <div class="legend" aria-label="legend">
        <span><svg width="36" height="14"><line x1="2" y1="7" x2="28" y2="7" stroke="#2563eb" stroke-width="1.6"/><path d="M27,3 L35,7 L27,11 z" fill="#2563eb"/></svg>request</span>
        <span><svg width="36" height="14"><line x1="2" y1="7" x2="28" y2="7" stroke="#059669" stroke-width="1.6" stroke-dasharray="6 4"/><path d="M27,3 L35,7 L27,11 z" fill="#059669"/></svg>reply (dashed)</span>
        <span><svg width="36" height="14"><line x1="2" y1="7" x2="28" y2="7" stroke="#d97706" stroke-width="1.6"/><path d="M27,3 L35,7 L27,11 z" fill="#d97706"/></svg>duplicate copy</span>
        <span><svg width="36" height="14"><line x1="2" y1="7" x2="26" y2="7" stroke="#dc2626" stroke-width="1.6" stroke-dasharray="3 3"/><path d="M24,2 L34,12 M34,2 L24,12" stroke="#dc2626" stroke-width="2.6" stroke-linecap="round"/></svg>dropped (lost, partitioned, receiver down)</span>
        <span><svg width="36" height="14"><line x1="2" y1="4" x2="26" y2="10" stroke="#9ca3af" stroke-width="1.5" stroke-dasharray="2 3"/></svg>never arrived</span>
        <span><svg width="30" height="14"><rect x="1" y="4" width="28" height="6" rx="2" fill="#dc2626"/></svg>crash (lifeline dashed red while down)</span>
        <span><svg width="30" height="14"><rect x="1" y="4" width="28" height="6" rx="2" fill="#16a34a"/></svg>restart</span>
        <span><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" stroke="#7c3aed" stroke-width="1.5"/></svg>timer</span>
        <span><svg width="14" height="14"><path d="M2,1 L13,7 L2,13 z" fill="#111827"/></svg>invoke</span>
        <span><svg width="14" height="14"><rect x="3" y="3" width="8" height="8" transform="rotate(45 7 7)" fill="#eab308"/></svg>note</span>
        <span><svg width="30" height="14"><rect x="1" y="1" width="28" height="12" rx="3" fill="#ffedd5" stroke="#fb923c"/></svg>partition / heal / script</span>
        </div>

        """;

    private const string Css = """

        :root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --req: #2563eb; --rep: #059669; --copy: #d97706; --bad: #dc2626; --ok: #16a34a; --timer: #7c3aed; --mono: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: #fff; }
        header.top { padding: 10px 16px 8px; border-bottom: 1px solid var(--line); background: #f8fafc; }
        h1 { font-size: 19px; margin: 0 0 6px; }
        h2 { font-size: 16px; margin: 8px 0; }
        .facts { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
        .fact { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 1px 10px; font-size: 13px; }
        .fact .k { color: var(--muted); }
        .fact.seed { background: #eff6ff; border-color: #93c5fd; }
        .fact.bad b { color: var(--bad); }
        .fact.warn b { color: var(--copy); }
        .replay { display: flex; align-items: center; gap: 8px; margin: 4px 0; min-width: 0; }
        .label { font-weight: 600; font-size: 13px; white-space: nowrap; }
        code.cmd { font: 13px var(--mono); background: #111827; color: #f9fafb; padding: 4px 8px; border-radius: 4px; user-select: all; white-space: pre; overflow-x: auto; display: inline-block; max-width: calc(100vw - 300px); }
        button.copy { font: 12px inherit; padding: 3px 10px; border: 1px solid #9ca3af; border-radius: 4px; background: #fff; cursor: pointer; }
        .failure { border: 1px solid #fca5a5; border-left: 6px solid var(--bad); background: #fef2f2; padding: 4px 10px; margin: 6px 0; border-radius: 4px; }
        .failure .label { color: var(--bad); }
        .failure pre { margin: 2px 0 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.35 var(--mono); color: #7f1d1d; max-height: 9em; overflow: auto; }
        .ok { color: var(--ok); font-size: 13px; margin: 4px 0; }
        .cap { background: #fef9c3; border: 1px solid #facc15; padding: 3px 8px; border-radius: 4px; font-size: 13px; margin: 6px 0; font-weight: 600; }
        .legend { display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 12px; color: #4b5563; margin-top: 6px; }
        .legend span { display: inline-flex; align-items: center; gap: 4px; }
        .main { display: flex; align-items: flex-start; gap: 12px; padding: 8px 16px; }
        .diagram-col { flex: 1 1 auto; min-width: 0; }
        .wrap { overflow: auto; max-height: calc(100vh - 20px); border: 1px solid var(--line); border-radius: 6px; background: #fff; }
        .lanes { position: sticky; top: 0; height: 38px; margin-bottom: -38px; z-index: 3; background: #fff; border-bottom: 1px solid var(--line); }
        .lanes .lane { position: absolute; top: 8px; transform: translateX(-50%); background: #1f2937; color: #fff; font-weight: 600; font-size: 13px; line-height: 22px; padding: 0 12px; border-radius: 11px; white-space: nowrap; }
        .lanes .gutter-head { position: absolute; left: 8px; top: 12px; font-size: 11px; color: var(--muted); }
        svg.diagram { display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; font-size: 11.5px; }
        .block { fill: #f5f6f8; }
        .row { fill: transparent; cursor: pointer; }
        .row:hover { fill: #e0e7ff; }
        .row.sel { fill: #fde68a; }
        .gutter-line { stroke: #d1d5db; }
        .period { fill: #fb923c; }
        text.time { fill: #374151; font-family: var(--mono); font-size: 11px; }
        text.step { fill: #9ca3af; text-anchor: end; font-family: var(--mono); font-size: 10.5px; }
        a:hover text.step { fill: var(--req); text-decoration: underline; }
        .lname-box { fill: #1f2937; }
        .lname { fill: #fff; font-weight: 600; font-size: 13px; text-anchor: middle; }
        .ll { stroke-width: 2; }
        .ll.up { stroke: #9ca3af; }
        .ll.down { stroke: var(--bad); stroke-dasharray: 5 4; stroke-width: 1.5; opacity: 0.75; }
        .ll.paused { stroke: var(--copy); stroke-dasharray: 2 3; }
        .band { cursor: pointer; }
        .band rect { fill-opacity: 0.85; }
        .band text { font-size: 11.5px; font-weight: 600; }
        .band.partition rect { fill: #ffedd5; stroke: #fb923c; }
        .band.partition text { fill: #9a3412; }
        .band.heal rect { fill: #dcfce7; stroke: #4ade80; }
        .band.heal text { fill: #166534; }
        .band.note rect { fill: #e0f2fe; stroke: #7dd3fc; }
        .band.note text { fill: #075985; }
        .band.other rect { fill: #f3f4f6; stroke: #d1d5db; }
        .msg, .drop, .inflight, .mark { cursor: pointer; }
        .msg line, .msg path { stroke-width: 1.6; fill: none; }
        .msg.req line, .msg.req path { stroke: var(--req); }
        .msg.rep line, .msg.rep path { stroke: var(--rep); stroke-dasharray: 6 4; }
        .msg.copy line, .msg.copy path { stroke: var(--copy); }
        .drop line { stroke: var(--bad); stroke-width: 1.6; stroke-dasharray: 3 3; }
        .drop .x { stroke: var(--bad); stroke-width: 2.6; stroke-linecap: round; fill: none; }
        .inflight line { stroke: #9ca3af; stroke-width: 1.5; stroke-dasharray: 2 3; }
        .inflight text { fill: var(--muted); font-style: italic; }
        .mark text, .drop text, .inflight text { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        .why { fill: var(--bad); font-weight: 700; }
        .send.req circle { fill: var(--req); }
        .send.req text { fill: #1d4ed8; font-weight: 600; }
        .send.rep circle { fill: var(--rep); }
        .send.rep text { fill: #047857; font-weight: 600; }
        .recv.req circle { fill: var(--req); }
        .recv.rep circle { fill: var(--rep); }
        .timer circle { fill: #fff; stroke: var(--timer); stroke-width: 1.5; }
        .timer path { stroke: var(--timer); stroke-width: 1.3; fill: none; }
        .timer text { fill: var(--timer); }
        .invoke path { fill: #111827; }
        .invoke text { fill: #111827; font-weight: 700; }
        .note rect { fill: #eab308; }
        .note text { fill: #854d0e; font-style: italic; }
        .crash rect { fill: var(--bad); }
        .crash text { fill: var(--bad); font-weight: 800; }
        .restart rect { fill: var(--ok); }
        .restart text { fill: var(--ok); font-weight: 700; }
        .pause rect, .resume rect { fill: var(--copy); }
        .pause text, .resume text { fill: #b45309; font-weight: 600; }
        .dup rect { fill: var(--copy); }
        .dup text { fill: #b45309; font-weight: 600; }
        .dup text.in { fill: #fff; stroke: none; text-anchor: middle; font-size: 10px; font-weight: 700; }
        .other circle { fill: #6b7280; }
        .hl line, .hl path { stroke-width: 3.4; }
        .hl circle { stroke: #111827; stroke-width: 1.5; }
        .panel { position: sticky; top: 8px; flex: 0 0 360px; width: 360px; max-height: calc(100vh - 16px); overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: #fcfcfd; font-size: 13px; }
        .goto { font-size: 12px; color: var(--muted); margin-bottom: 6px; }
        .goto input { width: 7em; font: 12px var(--mono); }
        .hint { color: var(--muted); margin: 4px 0; }
        .p-head { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
        .p-head .kind { font-weight: 700; padding: 0 6px; border-radius: 3px; background: #e5e7eb; }
        .p-where { color: var(--muted); font-size: 12px; }
        .p-text { white-space: pre-wrap; word-break: break-word; font: 12px/1.4 var(--mono); background: #f3f4f6; padding: 6px; border-radius: 4px; margin: 6px 0; }
        .p-rel { font-size: 12px; margin: 4px 0; }
        .p-rel a { display: block; color: var(--req); text-decoration: none; padding-left: 10px; }
        .p-rel a.cur { font-weight: 700; color: var(--fg); }
        .p-list { font-size: 12px; color: var(--req); }
        .p-title { font-weight: 700; margin: 10px 0 4px; border-top: 1px solid var(--line); padding-top: 6px; }
        table.states { width: 100%; border-collapse: collapse; }
        table.states th { text-align: left; vertical-align: top; padding: 3px 8px 3px 2px; white-space: nowrap; border-top: 1px solid var(--line); }
        table.states td { vertical-align: top; padding: 3px 4px; border-top: 1px solid var(--line); }
        table.states td.status { font-size: 11px; color: var(--muted); white-space: nowrap; }
        table.states pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.35 var(--mono); }
        tr.crashed th, tr.crashed td { color: var(--bad); }
        tr.crashed pre { opacity: 0.6; }
        tr.actor th { color: var(--req); }
        tr.changed th, tr.changed td { background: #fef3c7; }
        .list { padding: 8px 16px 48px; }
        .events { font: 12px/1.5 var(--mono); }
        .ev { padding: 1px 6px; border-left: 4px solid transparent; white-space: pre-wrap; word-break: break-word; cursor: pointer; }
        .ev:hover { background: #f3f4f6; }
        .ev:target, .ev.sel { background: #fde68a; }
        .ev .ix { color: #9ca3af; text-decoration: none; display: inline-block; min-width: 4em; text-align: right; margin-right: 6px; }
        .ev .st { color: var(--muted); margin-left: 5em; }
        .ev .pl { color: #374151; margin-left: 5em; }
        .ev .pl .k, .p-msg .k { color: #9ca3af; }
        .p-msg { white-space: pre-wrap; word-break: break-word; font: 12px/1.4 var(--mono); margin: 4px 0; }
        .ev .st .k { color: #9ca3af; }
        .k-Send { border-left-color: var(--req); }
        .k-Deliver { border-left-color: #93c5fd; }
        .k-Drop { border-left-color: var(--bad); color: #991b1b; }
        .k-Duplicate { border-left-color: var(--copy); }
        .k-Crash { border-left-color: var(--bad); color: var(--bad); font-weight: 700; }
        .k-Restart { border-left-color: var(--ok); color: #166534; font-weight: 700; }
        .k-Partition, .k-Heal { border-left-color: #fb923c; color: #9a3412; }
        .k-Timer { border-left-color: var(--timer); }
        .k-Invoke { border-left-color: #111827; }
        .k-Note { border-left-color: #eab308; }
        .k-Pause, .k-Resume { border-left-color: var(--copy); }

        """;

    private const string Script = """

        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('trace-data').textContent);
          var E = data.events;
          var S = 0, T = 1, K = 2, N = 3, ID = 6, ST = 9, X = 10;
          var svg = document.getElementById('diagram');
          var wrap = document.getElementById('wrap');
          var pEvent = document.getElementById('p-event');
          var pTitle = document.getElementById('p-title');
          var pNodes = document.getElementById('p-nodes');
          var list = document.getElementById('events');
          var byMsg = {};
          E.forEach(function (e, i) { if (e[ID]) { (byMsg[e[ID]] = byMsg[e[ID]] || []).push(i); } });
          var pinned = -1, shown = -1, lit = [];

          function el(tag, cls, text) {
            var node = document.createElement(tag);
            if (cls) { node.className = cls; }
            if (text !== undefined) { node.textContent = text; }
            return node;
          }

          function ms(t) { return t.toLocaleString('en-US', { maximumFractionDigits: 3 }) + ' ms'; }

          function statesAt(i) {
            var st = {}, status = {}, stale = {};
            for (var k = 0; k <= i; k++) {
              var e = E[k], n = e[N], kind = e[K];
              if (kind === 'Crash') { status[n] = 'crashed'; stale[n] = true; }
              else if (kind === 'Restart') { status[n] = 'up (restarted)'; }
              else if (kind === 'Pause') { status[n] = 'paused'; }
              else if (kind === 'Resume') { status[n] = 'up'; }
              if (e[ST] !== null) { st[n] = e[ST]; stale[n] = false; }
            }
            return { st: st, status: status, stale: stale };
          }

          function highlight(i) {
            lit.forEach(function (node) { node.classList.remove('sel'); node.classList.remove('hl'); });
            lit = [];
            var row = svg ? svg.querySelector('rect.row[data-i="' + i + '"]') : null;
            if (row) { row.classList.add('sel'); lit.push(row); }
            var item = document.getElementById('e' + i);
            if (item) { item.classList.add('sel'); lit.push(item); }
            if (svg) {
              if (E[i][ID]) {
                svg.querySelectorAll('[data-m="' + E[i][ID] + '"]').forEach(function (node) { node.classList.add('hl'); lit.push(node); });
              } else {
                svg.querySelectorAll('.mark[data-i="' + i + '"]').forEach(function (node) { node.classList.add('hl'); lit.push(node); });
              }
            }
          }

          function render(i) {
            if (i < 0 || i >= E.length) { return; }
            shown = i;
            var e = E[i];
            pEvent.textContent = '';
            var head = el('div', 'p-head');
            head.appendChild(el('span', 'kind', e[K]));
            head.appendChild(el('span', 'p-where', 'step ' + e[S] + ' \u00b7 t = ' + ms(e[T]) + ' \u00b7 event ' + (i + 1) + ' of ' + data.total));
            pEvent.appendChild(head);
            pEvent.appendChild(el('pre', 'p-text', e[X]));
            if (e[ID] && byMsg[e[ID]]) {
              var sent = byMsg[e[ID]].filter(function (j) { return E[j][K] === 'Send'; })[0];
              var whole = sent === undefined ? null : document.querySelector('#e' + sent + ' .pl');
              if (whole) {
                var msg = el('div', 'p-msg');
                msg.appendChild(el('span', 'k', 'content: '));
                msg.appendChild(document.createTextNode(whole.textContent.replace(/^m\d+: /, '')));
                pEvent.appendChild(msg);
              }
              var rel = el('div', 'p-rel');
              rel.appendChild(el('div', '', 'message m' + e[ID] + ':'));
              byMsg[e[ID]].forEach(function (j) {
                var a = el('a', j === i ? 'cur' : '', E[j][K] + ' at ' + E[j][N] + ' \u00b7 step ' + E[j][S] + ' \u00b7 ' + ms(E[j][T]));
                a.href = '#e' + j;
                a.setAttribute('data-go', String(j));
                rel.appendChild(a);
              });
              pEvent.appendChild(rel);
            }
            var link = el('a', 'p-list', 'show in the event list');
            link.href = '#e' + i;
            pEvent.appendChild(link);
            pTitle.textContent = (pinned === i ? 'pinned \u00b7 ' : '') + 'Node states after this event';
            var s = statesAt(i);
            var names = data.nodes.slice();
            Object.keys(s.st).forEach(function (n) { if (names.indexOf(n) === -1) { names.push(n); } });
            var body = document.createElement('tbody');
            names.forEach(function (n) {
              var status = s.status[n] || 'up';
              var tr = el('tr', status === 'crashed' ? 'crashed' : '');
              if (n === e[N]) { tr.classList.add('actor'); }
              if (n === e[N] && e[ST] !== null) { tr.classList.add('changed'); }
              tr.appendChild(el('th', '', n));
              tr.appendChild(el('td', 'status', status));
              var text = Object.prototype.hasOwnProperty.call(s.st, n) ? s.st[n] : '(no state captured yet)';
              if (s.stale[n] && Object.prototype.hasOwnProperty.call(s.st, n)) { text += '\n(last state before the crash)'; }
              var td = el('td');
              td.appendChild(el('pre', '', text));
              tr.appendChild(td);
              body.appendChild(tr);
            });
            pNodes.replaceChildren(body);
            highlight(i);
          }

          function reveal(i) {
            var row = svg ? svg.querySelector('rect.row[data-i="' + i + '"]') : null;
            if (!row) { return; }
            var y = +row.getAttribute('y');
            if (y < wrap.scrollTop + 48 || y > wrap.scrollTop + wrap.clientHeight - 40) {
              wrap.scrollTop = Math.max(0, y - wrap.clientHeight / 2);
            }
          }

          function pin(i, scroll) {
            if (i < 0 || i >= E.length) { return; }
            pinned = i;
            render(i);
            if (scroll) { reveal(i); }
          }

          function target(ev) {
            var t = ev.target.closest ? ev.target.closest('[data-i]') : null;
            return t ? +t.getAttribute('data-i') : -1;
          }

          if (svg) {
            svg.addEventListener('mouseover', function (ev) {
              if (pinned !== -1) { return; }
              var i = target(ev);
              if (i !== -1 && i !== shown) { render(i); }
            });
            svg.addEventListener('click', function (ev) {
              if (ev.target.closest('a')) { return; }
              var i = target(ev);
              if (i === -1) { return; }
              if (pinned === i) { pinned = -1; render(i); } else { pin(i, false); }
            });
          }

          list.addEventListener('click', function (ev) {
            var i = target(ev);
            if (i !== -1) { pin(i, true); }
          });

          pEvent.addEventListener('click', function (ev) {
            var a = ev.target.closest('[data-go]');
            if (a) { ev.preventDefault(); pin(+a.getAttribute('data-go'), true); }
          });

          document.addEventListener('keydown', function (ev) {
            if (ev.target && ev.target.tagName === 'INPUT') { return; }
            var at = pinned !== -1 ? pinned : shown;
            if (ev.key === 'Escape') { pinned = -1; if (shown !== -1) { render(shown); } }
            else if (ev.key === 'ArrowDown' || ev.key === 'j') { pin(Math.min(E.length - 1, at + 1), true); ev.preventDefault(); }
            else if (ev.key === 'ArrowUp' || ev.key === 'k') { pin(Math.max(0, at - 1), true); ev.preventDefault(); }
          });

          var go = document.getElementById('goto');
          go.addEventListener('change', function () {
            var step = +go.value;
            for (var i = 0; i !== E.length; i++) {
              if (E[i][S] >= step) { pin(i, true); return; }
            }
          });

          var copy = document.getElementById('copy');
          copy.addEventListener('click', function () {
            var code = document.getElementById('replay');
            var text = code.textContent;
            function fallback() {
              var range = document.createRange();
              range.selectNodeContents(code);
              var sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              try { document.execCommand('copy'); copy.textContent = 'copied'; } catch (e) { copy.textContent = 'press Ctrl+C'; }
            }
            if (navigator.clipboard) {
              navigator.clipboard.writeText(text).then(function () { copy.textContent = 'copied'; }, fallback);
            } else {
              fallback();
            }
          });

          var m = /^#e(\d+)$/.exec(location.hash);
          if (m) { pin(+m[1], true); }
        })();

        """;
}
