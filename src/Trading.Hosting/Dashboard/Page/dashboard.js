// The trading dashboard: reads /api/dashboard/{panel} with the function key kept in sessionStorage (this tab only).
// No framework, no network beyond this host; charts are small SVGs drawn here. Text is set with textContent, never HTML.
'use strict';
(() => {
  const KEY = 'trading.functionKey';
  // The API's root (/api/), whether the page was opened as /api/dashboard or /api/dashboard/.
  const API = location.pathname.replace(/dashboard\/?$/, '');
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const en = 'en-US';
  const fmt = {
    money: (v) => v == null ? '–' : '$' + Number(v).toLocaleString(en, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    usd: (v) => v == null ? '–' : '$' + Number(v).toLocaleString(en, { minimumFractionDigits: 4, maximumFractionDigits: 4 }),
    num: (v, d = 2) => v == null ? '–' : Number(v).toLocaleString(en, { minimumFractionDigits: d, maximumFractionDigits: d }),
    int: (v) => v == null ? '–' : Number(v).toLocaleString(en),
    pct: (v) => v == null ? '–' : (Number(v) * 100).toLocaleString(en, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + '%',
    ms: (v) => v == null ? '–' : Number(v).toLocaleString(en, { maximumFractionDigits: 0 }) + ' ms',
    time: (v) => v ? new Date(v).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '–',
  };

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) if (c != null) el.append(c);
    return el;
  }
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) el.setAttribute(k, v);
    for (const c of children.flat(Infinity)) if (c != null) el.append(c);
    return el;
  }
  const fact = (label, field, value, text) => h('div', {}, h('dt', { text: label }), h('dd', { 'data-field': field, 'data-value': value, text }));
  const table = (head, rows, caption) => h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', { class: 'muted', text: caption }) : null,
    h('thead', {}, h('tr', {}, head.map(([t, cls]) => h('th', { scope: 'col', class: cls, text: t })))),
    h('tbody', {}, rows)));
  const cell = (field, value, text, cls) => h('td', { 'data-field': field, 'data-value': value, class: cls, text });

  // ---- key and requests ----
  class KeyRefused extends Error {}
  async function api(path, options = {}) {
    const key = sessionStorage.getItem(KEY);
    if (!key) throw new KeyRefused('No key.');
    const response = await fetch(API + path, { ...options, headers: { 'x-functions-key': key, 'content-type': 'application/json', ...(options.headers || {}) } });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) throw new KeyRefused(body.error || 'The key was refused.');
    if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
    return body;
  }

  function showKeyForm(message) {
    $('overview').hidden = true;
    $('run-page').hidden = true;
    $('key-panel').hidden = false;
    $('key-error').textContent = message || '';
    $('key-input').focus();
  }

  // ---- panels ----
  const renderers = {
    account(d) {
      const halt = d.halt;
      const button = halt.halted
        ? h('button', { type: 'button', class: 'primary', id: 'resume-button', onclick: () => askReason(false) , text: 'Resume trading…' })
        : h('button', { type: 'button', class: 'danger', id: 'halt-button', onclick: () => askReason(true), text: 'Halt trading…' });
      return [
        h('p', {}, h('span', { 'data-field': 'account.halt', 'data-value': String(halt.halted), class: halt.halted ? 'halted' : 'running', text: halt.halted ? 'HALTED' : 'Trading' }),
          halt.halted ? h('span', { 'data-field': 'account.haltReason', text: ': ' + halt.reason }) : null,
          halt.changedUtc ? h('span', { class: 'muted', text: ` (changed ${fmt.time(halt.changedUtc)})` }) : null, ' ', button),
        h('dl', { class: 'facts' },
          fact('Equity', 'account.equity', d.equity, fmt.money(d.equity)),
          fact('Cash', 'account.cash', d.cash, fmt.money(d.cash)),
          fact('Buying power', 'account.buyingPower', d.buyingPower, fmt.money(d.buyingPower)),
          fact('Realized P&L', 'account.realized', d.realizedPnlDollars, fmt.money(d.realizedPnlDollars)),
          fact('Unrealized P&L', 'account.unrealized', d.unrealizedPnlDollars, fmt.money(d.unrealizedPnlDollars)),
          fact('Max drawdown', 'account.maxDrawdown', d.maxDrawdownPct, fmt.num(d.maxDrawdownPct) + '%')),
        equityChart(d.equityCurve),
        d.simulated ? h('p', { class: 'muted', text: 'Simulated broker.' }) : null,
      ];
    },
    positions(d) {
      const out = [h('p', {}, `${d.symbol} `, h('strong', { 'data-field': 'positions.price', 'data-value': d.underlyingPrice, text: fmt.money(d.underlyingPrice) }),
        d.quoteError ? h('span', { class: 'error', text: ' ' + d.quoteError }) : null,
        h('span', { class: 'muted', text: ` · take profit at ${d.takeProfitPct}% of credit, stop at ${d.stopLossPct}% loss, time exit at ${d.exitAtDte} DTE` }))];
      if (d.positions.length === 0) out.push(h('p', { class: 'muted', 'data-field': 'positions.none', text: 'No open condors.' }));
      for (const p of d.positions) {
        out.push(h('div', { class: 'condor', 'data-position': p.positionId },
          h('h3', { text: `${p.variant} · ${p.contracts} × exp ${p.expiration} · ${p.state}` }),
          h('dl', { class: 'facts' },
            fact('Entry credit', 'position.credit', p.entryCredit, fmt.money(p.entryCredit)),
            fact('Debit to close', 'position.debit', p.currentDebit, fmt.money(p.currentDebit)),
            fact('P&L', 'position.pnl', p.unrealizedPnlDollars, fmt.money(p.unrealizedPnlDollars)),
            fact('To short put', 'position.toShortPut', p.distanceToShortPut, fmt.money(p.distanceToShortPut)),
            fact('To short call', 'position.toShortCall', p.distanceToShortCall, fmt.money(p.distanceToShortCall)),
            fact('Time exit', 'position.timeExit', p.timeExitDate, p.timeExitDate)),
          priceBand(p, d.underlyingPrice), debitBand(p),
          h('p', { class: 'muted', text: p.legs.map((l) => `${l.side} ${l.right} ${l.strike}`).join(' · ') }),
          p.alert ? h('p', { class: 'error', text: 'Alert: ' + p.alert }) : null));
      }
      return out;
    },
    runs(d) {
      const select = $('outcome-filter');
      if (select.options.length <= 1) for (const o of d.outcomes) select.append(h('option', { value: o, text: `${o} (${d.outcomeCounts[o] || 0})` }));
      const rows = d.runs.map((r) => h('tr', { 'data-run': r.instanceId },
        h('td', {}, h('a', { href: '#run/' + encodeURIComponent(r.instanceId), text: r.instanceId })),
        cell('run.started', r.startedUtc, fmt.time(r.startedUtc)),
        cell('run.kind', r.kind, r.kind + (r.dryRun ? ' (dry)' : '')),
        cell('run.outcome', r.endReason, r.endReason),
        cell('run.cost', r.llmCostUsd, fmt.usd(r.llmCostUsd), 'num'),
        h('td', {}, stageCells(r))));
      return [h('p', { class: 'muted', text: `${d.runs.length} shown of ${d.scanned} read.` }),
        table([['Run'], ['Started'], ['Kind'], ['Outcome'], ['LLM cost', 'num'], ['Stages (select for the reason)']], rows)];
    },
    spend(d) {
      const mtdOver = d.monthToDate.spentUsd > d.monthToDate.limitUsd;
      return [
        h('dl', { class: 'facts' },
          fact(`Today (${d.today.window})`, 'spend.today', d.today.spentUsd, fmt.usd(d.today.spentUsd)),
          fact('Daily budget', 'spend.dailyLimit', d.dailyLimitUsd, fmt.usd(d.dailyLimitUsd)),
          fact(`Month to date (${d.monthToDate.window})`, 'spend.month', d.monthToDate.spentUsd, fmt.usd(d.monthToDate.spentUsd)),
          fact('Monthly budget', 'spend.monthlyLimit', d.monthlyLimitUsd, fmt.usd(d.monthlyLimitUsd)),
          fact(`Calls (${d.days} days)`, 'spend.calls', d.calls, fmt.int(d.calls)),
          fact(`Cost (${d.days} days)`, 'spend.cost', d.costUsd, fmt.usd(d.costUsd))),
        spendChart(d.perDay, d.dailyLimitUsd),
        h('p', {}, h('label', { for: 'mtd-meter', text: `Month to date against the monthly budget${mtdOver ? ' (OVER)' : ''}` }),
          h('meter', { id: 'mtd-meter', min: 0, max: d.monthlyLimitUsd, high: d.monthlyLimitUsd * 0.8, value: d.monthToDate.spentUsd, text: fmt.usd(d.monthToDate.spentUsd) })),
        table([['Model'], ['Calls', 'num'], ['Cost', 'num'], ['p50', 'num'], ['p95', 'num'], ['Failures', 'num'], ['Fallbacks', 'num'], ['CRITICAL', 'num']],
          d.perModel.map((m) => h('tr', { 'data-model': m.model },
            h('th', { scope: 'row', text: m.model }),
            cell('model.calls', m.calls, fmt.int(m.calls), 'num'), cell('model.cost', m.costUsd, fmt.usd(m.costUsd), 'num'),
            cell('model.p50', m.p50LatencyMs, fmt.ms(m.p50LatencyMs), 'num'), cell('model.p95', m.p95LatencyMs, fmt.ms(m.p95LatencyMs), 'num'),
            cell('model.failures', m.failures, fmt.int(m.failures), 'num'), cell('model.fallbacks', m.fallbacks, fmt.int(m.fallbacks), 'num'),
            cell('model.critical', m.criticalCalls, fmt.int(m.criticalCalls), 'num'))), `Per model, last ${d.days} days`),
        h('h3', { text: 'CRITICAL calls (never downgraded)' }),
        d.criticalCalls.length === 0 ? h('p', { class: 'muted', text: 'None in the window.' }) :
          h('ul', {}, d.criticalCalls.slice(0, 10).map((c) => h('li', { 'data-field': 'spend.critical' },
            h('span', { class: 'badge critical', text: 'CRITICAL' }), ` ${fmt.time(c.startedUtc)} ${c.taskType} → ${c.servedModel || c.requestedModel} · ${c.outcome} · ${fmt.usd(c.costUsd)}`))),
      ];
    },
    models(d) {
      if (d.comparisons.length === 0) return [h('p', { class: 'muted', text: 'No traffic split or shadow model configured or seen in the window.' })];
      return d.comparisons.map((c) => h('div', { 'data-comparison': `${c.kind}:${c.taskType}` },
        h('h3', { text: `${c.kind === 'split' ? 'Split' : 'Shadow'} on ${c.taskType}${c.configured ? '' : ' (no longer configured)'}` }),
        table([['', ''], ...c.arms.map((a) => [`${a.model} (${a.role}${a.weight ? ' w=' + a.weight : ''})`, 'num'])], [
          ['Calls', 'arm.calls', (a) => a.calls, (a) => fmt.int(a.calls)],
          ['Cost', 'arm.cost', (a) => a.costUsd, (a) => fmt.usd(a.costUsd)],
          ['p50 latency', 'arm.p50', (a) => a.p50LatencyMs, (a) => fmt.ms(a.p50LatencyMs)],
          ['p95 latency', 'arm.p95', (a) => a.p95LatencyMs, (a) => fmt.ms(a.p95LatencyMs)],
          ['Failure rate', 'arm.failureRate', (a) => a.failureRate, (a) => fmt.pct(a.failureRate)],
          ['Agreement', 'arm.agreement', (a) => a.agreementRate, (a) => `${fmt.pct(a.agreementRate)} (${a.agreed}/${a.compared} with the ${a.agreementBasis === 'council-decision' ? "council's decision" : "primary's answer"})`],
        ].map(([label, field, raw, text]) => h('tr', {}, h('th', { scope: 'row', text: label }), c.arms.map((a) => cell(field, raw(a), text(a), 'num')))))));
    },
    strategy(d) {
      return [strategyChart(d.variants, d.credibleLevel),
        table([['Variant'], ['Mean', 'num'], [`${d.credibleLevel * 100}% band`, 'num'], ['Closed', 'num'], ['Won', 'num'], ['P&L', 'num'], ['Memory verdict']],
          d.variants.map((v) => h('tr', { 'data-variant': v.variant },
            h('th', { scope: 'row', text: v.variant + (v.configured ? '' : ' (retired)') }),
            cell('variant.mean', v.mean, fmt.num(v.mean, 3), 'num'), cell('variant.band', `${v.bandLow}-${v.bandHigh}`, `${fmt.num(v.bandLow, 3)}–${fmt.num(v.bandHigh, 3)}`, 'num'),
            cell('variant.closed', v.closedTrades, fmt.int(v.closedTrades), 'num'), cell('variant.wins', v.wins, fmt.int(v.wins), 'num'),
            cell('variant.pnl', v.realizedPnlDollars, fmt.money(v.realizedPnlDollars), 'num'),
            h('td', { 'data-field': 'variant.verdict', 'data-value': v.memoryVerdict, title: v.memoryMessage, text: v.memoryVerdict })))),
      ];
    },
  };

  const okVerdicts = /^(ok|approve|execute|enter|consider|proceed|strong_proceed|filled|placed|pass|allowed|hold|traded|closed)$/i;
  const stopVerdicts = /^(stop|decline|failed|rejected|avoid|strong_avoid|blocks|halted|error)$/i;
  function stageCells(r) {
    const detail = h('p', { class: 'stage-detail', hidden: true, 'aria-live': 'polite' });
    const cells = r.stages.map((st) => {
      const kind = okVerdicts.test(st.verdict) ? 'ok' : stopVerdicts.test(st.verdict) ? 'stop' : 'other';
      const symbol = kind === 'ok' ? '✓' : kind === 'stop' ? '✗' : '•';
      const text = `${st.stage}: ${st.verdict} — ${st.summary}`;
      return h('button', { type: 'button', class: `stage ${kind}`, title: text, 'aria-label': text, 'data-stage': st.stage, 'data-verdict': st.verdict,
        onclick: () => { detail.hidden = detail.textContent === text && !detail.hidden; detail.textContent = text; }, text: symbol });
    });
    return [h('div', { class: 'stages' }, cells), detail];
  }

  // ---- charts ----
  function equityChart(points) {
    if (!points || points.length < 2) return h('p', { class: 'muted', text: 'No closed trades yet: no equity curve.' });
    const W = 600, H = 180, P = 34;
    const t0 = Date.parse(points[0].utc), t1 = Date.parse(points[points.length - 1].utc) || t0 + 1;
    const values = points.map((p) => p.equity);
    let peak = -Infinity; const peaks = values.map((v) => (peak = Math.max(peak, v)));
    const lo = Math.min(...values), hi = Math.max(...peaks), span = hi - lo || 1;
    const x = (t) => P + (W - P - 8) * (t1 === t0 ? 1 : (Date.parse(t) - t0) / (t1 - t0));
    const y = (v) => 8 + (H - 28) * (1 - (v - lo) / span);
    const line = points.map((p) => `${x(p.utc).toFixed(1)},${y(p.equity).toFixed(1)}`).join(' ');
    const shade = points.map((p, i) => `${x(p.utc).toFixed(1)},${y(peaks[i]).toFixed(1)}`).join(' ') + ' ' +
      points.slice().reverse().map((p) => `${x(p.utc).toFixed(1)},${y(p.equity).toFixed(1)}`).join(' ');
    return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Equity from ${fmt.money(values[0])} to ${fmt.money(values[values.length - 1])}; shaded: drawdown below the running peak` },
      s('polygon', { class: 'drawdown', points: shade }),
      s('polyline', { class: 'chart-line', points: line }),
      s('line', { class: 'axis', x1: P, y1: H - 20, x2: W - 8, y2: H - 20 }),
      s('text', { x: 0, y: 14 }, fmt.money(hi)), s('text', { x: 0, y: H - 22 }, fmt.money(lo)),
      s('text', { x: P, y: H - 4 }, points[0].utc.slice(0, 10)), s('text', { x: W - 80, y: H - 4 }, points[points.length - 1].utc.slice(0, 10)));
  }

  function band(width, lo, hi, marks, label) {
    const W = 600, H = 46, span = hi - lo || 1, x = (v) => 8 + (W - 16) * (v - lo) / span;
    return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label },
      s('line', { class: 'axis', x1: 8, y1: 22, x2: W - 8, y2: 22 }),
      marks.filter((m) => m.v != null).map((m) => [
        s('line', { x1: x(m.v), y1: m.now ? 6 : 14, x2: x(m.v), y2: m.now ? 38 : 30, stroke: m.color, 'stroke-width': m.now ? 3 : 2 }),
        s('text', { x: Math.min(Math.max(x(m.v) - 20, 0), W - 90), y: m.top ? 10 : 44 }, `${m.label} ${m.v}`)]));
  }
  const priceBand = (p, price) => {
    const strikes = [p.longPutStrike, p.shortPutStrike, p.shortCallStrike, p.longCallStrike, price].filter((v) => v != null);
    const lo = Math.min(...strikes), hi = Math.max(...strikes), pad = (hi - lo) * 0.08 || 1;
    return band(600, lo - pad, hi + pad, [
      { v: p.longPutStrike, label: 'LP', color: '#57606a' }, { v: p.shortPutStrike, label: 'SP', color: '#cf222e', top: true },
      { v: p.shortCallStrike, label: 'SC', color: '#cf222e', top: true }, { v: p.longCallStrike, label: 'LC', color: '#57606a' },
      { v: price, label: 'SPY', color: '#0969da', now: true, top: true }],
      `Price band: long put ${p.longPutStrike}, short put ${p.shortPutStrike}, SPY ${price}, short call ${p.shortCallStrike}, long call ${p.longCallStrike}`);
  };
  const debitBand = (p) => band(600, 0, Math.max(p.stopDebit, p.currentDebit || 0) * 1.1, [
    { v: p.takeProfitDebit, label: 'take profit', color: '#1a7f37' }, { v: p.entryCredit, label: 'credit', color: '#57606a' },
    { v: p.stopDebit, label: 'stop', color: '#cf222e' }, { v: p.currentDebit, label: 'now', color: '#0969da', now: true, top: true }],
    `Debit to close ${p.currentDebit ?? 'unknown'}: take profit at or below ${p.takeProfitDebit}, stop at or above ${p.stopDebit}`);

  function spendChart(days, limit) {
    const W = 600, H = 170, P = 40, max = Math.max(limit, ...days.map((d) => d.costUsd)) * 1.1 || 1;
    const slot = (W - P - 8) / Math.max(days.length, 1), bw = Math.min(Math.max(slot - 2, 1), 40);
    const y = (v) => 8 + (H - 30) * (1 - v / max);
    return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Cost per day for ${days.length} days against the daily budget of ${fmt.usd(limit)} (dashed line); red bars exceed it` },
      days.map((d, i) => s('rect', { class: d.costUsd > limit ? 'bar over' : 'bar', x: (P + i * slot).toFixed(1), y: y(d.costUsd).toFixed(1), width: bw.toFixed(1), height: Math.max(H - 22 - y(d.costUsd), 0).toFixed(1) },
        s('title', {}, `${d.day}: ${fmt.usd(d.costUsd)} in ${d.calls} call(s), ${d.criticalCalls} CRITICAL`))),
      s('line', { class: 'budget-line', x1: P, y1: y(limit), x2: W - 8, y2: y(limit) }),
      s('text', { x: 0, y: y(limit) + 4 }, fmt.usd(limit)),
      s('line', { class: 'axis', x1: P, y1: H - 22, x2: W - 8, y2: H - 22 }),
      days.length ? [s('text', { x: P, y: H - 6 }, days[0].day), s('text', { x: W - 76, y: H - 6 }, days[days.length - 1].day)] : []);
  }

  function strategyChart(variants, level) {
    const W = 600, row = 24, H = variants.length * row + 24, L = 110, x = (v) => L + (W - L - 12) * v;
    return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Posterior win probability per variant: dot the mean, bar the ${level * 100}% credible band` },
      variants.map((v, i) => {
        const cy = 14 + i * row;
        return [s('text', { x: 0, y: cy + 4 }, v.variant),
          s('line', { x1: x(v.bandLow), y1: cy, x2: x(v.bandHigh), y2: cy, stroke: '#0969da', 'stroke-width': 4, 'stroke-linecap': 'round' }),
          s('circle', { cx: x(v.mean), cy, r: 5, fill: '#1b1f24' })];
      }),
      [0, 0.5, 1].map((t) => s('text', { x: x(t) - 6, y: H - 2 }, String(t))));
  }

  // ---- halt / resume ----
  let haltWanted = true;
  function askReason(halt) {
    haltWanted = halt;
    $('halt-title').textContent = halt ? 'Halt trading' : 'Resume trading';
    $('halt-confirm').textContent = halt ? 'Halt' : 'Resume';
    $('halt-error').textContent = '';
    $('halt-reason').value = '';
    $('halt-dialog').showModal();
  }
  async function submitHalt(event) {
    event.preventDefault();
    const reason = $('halt-reason').value.trim();
    if (!reason) { $('halt-error').textContent = 'A reason is required.'; return; }
    try {
      await api(haltWanted ? 'halt' : 'resume', { method: 'POST', body: JSON.stringify({ reason }) });
      $('halt-dialog').close();
      await loadPanel('account');
    } catch (e) {
      if (e instanceof KeyRefused) { $('halt-dialog').close(); showKeyForm(e.message); } else $('halt-error').textContent = e.message;
    }
  }

  // ---- loading ----
  function query(name) {
    if (name === 'runs') { const o = $('outcome-filter').value; return o ? '?outcome=' + encodeURIComponent(o) : ''; }
    return '';
  }
  async function loadPanel(name) {
    const section = $(name), body = section.querySelector('.body');
    section.setAttribute('aria-busy', 'true');
    try {
      const data = await api('dashboard/' + name + query(name));
      body.replaceChildren(...[renderers[name](data)].flat(2).filter((n) => n != null));
      if (data.asOfUtc) $('asof').textContent = 'As of ' + fmt.time(data.asOfUtc);
    } catch (e) {
      if (e instanceof KeyRefused) throw e;
      body.replaceChildren(h('p', { class: 'error', role: 'alert', text: e.message }));
    } finally {
      section.setAttribute('aria-busy', 'false');
      section.dataset.loaded = 'true';
    }
  }
  async function loadOverview() {
    $('key-panel').hidden = true;
    $('run-page').hidden = true;
    $('overview').hidden = false;
    const started = performance.now();
    try {
      await Promise.all(Object.keys(renderers).map(loadPanel));
      document.body.dataset.renderedMs = String(Math.round(performance.now() - started));
    } catch (e) {
      if (e instanceof KeyRefused) { sessionStorage.removeItem(KEY); showKeyForm(e.message); } else throw e;
    }
  }
  async function loadRun(id) {
    $('key-panel').hidden = true;
    $('overview').hidden = true;
    $('run-page').hidden = false;
    const body = $('run-page').querySelector('.body');
    $('run-title').textContent = 'Run ' + id;
    body.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
    try {
      const run = await api('runs/' + encodeURIComponent(id));
      const j = run.journal;
      if (!j) { body.replaceChildren(h('p', { text: `Status: ${run.status ? run.status.status || JSON.stringify(run.status) : 'unknown'}; no journal recorded yet.` })); return; }
      body.replaceChildren(...[
        h('dl', { class: 'facts' },
          fact('Outcome', 'journal.outcome', j.endReason, j.endReason), fact('Kind', 'journal.kind', j.kind, `${j.kind} (${j.trigger}${j.dryRun ? ', dry run' : ''})`),
          fact('Started', 'journal.started', j.startedUtc, fmt.time(j.startedUtc)), fact('Ended', 'journal.ended', j.endedUtc, fmt.time(j.endedUtc)),
          fact('Decisions', 'journal.mode', j.decisionMode, j.decisionMode || '–'), fact('LLM cost', 'journal.cost', j.llmCostUsd, fmt.usd(j.llmCostUsd))),
        h('p', { 'data-field': 'journal.detail', text: j.endDetail }),
        table([['Stage'], ['Verdict'], ['Reason']], j.stages.map((st) => h('tr', { 'data-stage': st.stage },
          h('th', { scope: 'row', text: st.stage }), cell('journal.verdict', st.verdict, st.verdict), h('td', { text: st.summary })))),
        j.councilVotes && j.councilVotes.length ? [h('h3', { text: 'Council votes' }), table([['Member'], ['Model'], ['Vote'], ['Confidence', 'num'], ['Latency', 'num'], ['Cost', 'num']],
          j.councilVotes.map((v) => h('tr', {}, h('td', { text: v.member }), h('td', { text: v.decidedBy }),
            h('td', { text: v.valid ? (v.approve ? 'approve' : 'decline') : 'abstained: ' + (v.abstainReason || '') }), h('td', { class: 'num', text: fmt.num(v.confidence) }),
            h('td', { class: 'num', text: fmt.ms(v.latencyMs) }), h('td', { class: 'num', text: fmt.usd(v.costUsd) }))))] : [],
        h('h3', { text: 'Whole journal (JSON)' }), h('pre', { 'data-field': 'journal.json', text: JSON.stringify(j, null, 2) })].flat(2));
    } catch (e) {
      if (e instanceof KeyRefused) { sessionStorage.removeItem(KEY); showKeyForm(e.message); return; }
      body.replaceChildren(h('p', { class: 'error', role: 'alert', text: e.message }));
    }
  }
  function route() {
    if (!sessionStorage.getItem(KEY)) { showKeyForm(); return; }
    const m = /^#run\/(.+)$/.exec(location.hash);
    if (m) loadRun(decodeURIComponent(m[1])); else loadOverview();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const key = $('key-input').value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY, key);
      $('key-input').value = '';
      route();
    });
    $('forget').addEventListener('click', () => { sessionStorage.removeItem(KEY); showKeyForm('Key forgotten.'); });
    $('refresh').addEventListener('click', route);
    $('outcome-filter').addEventListener('change', () => loadPanel('runs').catch((e) => showKeyForm(e.message)));
    $('halt-form').addEventListener('submit', submitHalt);
    $('halt-cancel').addEventListener('click', () => $('halt-dialog').close());
    window.addEventListener('hashchange', route);
    route();
  });
})();
