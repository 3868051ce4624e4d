// The domain check report as webview HTML. Everything from DNS is hostile text: it is escaped
// everywhere, and the page's content security policy lets nothing load and only our nonce'd script
// (two buttons that post a message) run. No vscode import, so tests render it directly.

import type { OverviewItem, OverviewState } from '../../server/src/dns/overview';
import type { DomainFinding, DomainReport, SpfNode, TxtPolicyReport } from '../../server/src/dns/types';

export type LabelKey =
  | 'title'
  | 'copyJson'
  | 'copyRecord'
  | 'summary'
  /** The summary when one DNS query was asked. */
  | 'summaryOne'
  | 'verdicts'
  | 'met'
  | 'notMet'
  | 'unknown'
  | 'spf'
  | 'record'
  | 'none'
  | 'lookup'
  | 'lookups'
  | 'voidLookup'
  | 'voidLookups'
  | 'includeTree'
  | 'dmarc'
  | 'foundAt'
  | 'policy'
  | 'organizationalDomain'
  | 'pslOrganizationalDomain'
  | 'treeWalk'
  | 'dkim'
  | 'selector'
  | 'key'
  | 'status'
  | 'noSelector'
  | 'otherRecords'
  | 'findings'
  | 'noFindings'
  | 'publish'
  /** An item whose DNS lookup failed: what it holds is unknown, not "none". */
  | 'lookupFailed'
  /** Overview states and finding severities. */
  | 'stateOk'
  | 'stateInfo'
  | 'stateWarning'
  | 'stateError'
  /** A name of the DMARC tree walk that answered. */
  | 'answered'
  | 'nullMx'
  /** SPF include tree: why a record below the top was not read as a record. */
  | 'nodeMissing'
  | 'nodeMultiple'
  | 'nodeLoop'
  | 'nodeNotFollowed'
  | 'nodeSyntaxError'
  | 'nodeMacro';

export type Labels = Record<LabelKey, string>;

export interface ViewOptions {
  /** A fresh random value per render; only elements carrying it may style or script the page. */
  nonce: string;
  /** The webview's `cspSource`. */
  cspSource: string;
  labels: Labels;
  /** The page language (VS Code's display language). */
  lang?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Fills `{0}`-style holes in a label with escaped values. */
function fill(label: string, ...values: unknown[]): string {
  return escapeHtml(label).replace(/\{(\d+)\}/g, (_, i: string) => escapeHtml(values[Number(i)]));
}

function code(text: string | null | undefined, fallback: string): string {
  return text ? `<code>${escapeHtml(text)}</code>` : `<span class="muted">${escapeHtml(fallback)}</span>`;
}

function statusBadge(status: string, labels: Labels): string {
  const text = status === 'met' ? labels.met : status === 'not-met' ? labels.notMet : labels.unknown;
  return `<span class="badge badge-${status === 'met' ? 'ok' : status === 'not-met' ? 'bad' : 'warn'}">${escapeHtml(text)}</span>`;
}

/** A state badge: an overview item's state or a finding's severity. */
function stateBadge(state: OverviewState, labels: Labels): string {
  const cls = state === 'ok' ? 'ok' : state === 'error' || state === 'failed' ? 'bad' : state === 'warning' ? 'warn' : 'info';
  const text = { ok: labels.stateOk, info: labels.stateInfo, warning: labels.stateWarning, error: labels.stateError, failed: labels.lookupFailed }[state];
  return `<span class="badge badge-${cls}">${escapeHtml(text)}</span>`;
}

function nodeLabel(status: SpfNode['status'], labels: Labels): string {
  switch (status) {
    case 'missing':
      return labels.nodeMissing;
    case 'multiple':
      return labels.nodeMultiple;
    case 'loop':
      return labels.nodeLoop;
    case 'not-followed':
      return labels.nodeNotFollowed;
    case 'syntax-error':
      return labels.nodeSyntaxError;
    case 'macro':
      return labels.nodeMacro;
    case 'dns-failure':
      return labels.lookupFailed;
    default:
      return status;
  }
}

/** A DMARC walk step in words: answered, none (no such name or record), or the lookup failed. */
function walkLabel(status: string, labels: Labels): string {
  if (status === 'ok') return labels.answered;
  if (status === 'nxdomain' || status === 'nodata') return labels.none;
  return labels.lookupFailed;
}

/** "{0} DNS lookup" for one, "{0} DNS lookups" otherwise (the labels carry the language's forms). */
function count(n: number, one: string, many: string): string {
  return fill(n === 1 ? one : many, n);
}

/** The text of a value whose lookup failed, or the value (or "none"). */
function value(text: string | null | undefined, failed: boolean, labels: Labels): string {
  return failed ? stateBadge('failed', labels) : code(text, labels.none);
}

function spfTree(node: SpfNode, labels: Labels): string {
  const kids = node.children
    .map((c) => {
      const cost = c.totalLookups + 1;
      const note = c.status === 'ok' ? '' : ` <span class="badge badge-${c.status === 'not-followed' ? 'info' : 'bad'}">${escapeHtml(nodeLabel(c.status, labels))}</span>`;
      const record = c.record ? ` <code class="small">${escapeHtml(c.record)}</code>` : '';
      return `<li><span class="term">${escapeHtml(`${c.via}:${c.domain}`)}</span> <span class="count">${count(cost, labels.lookup, labels.lookups)}</span>${c.voidLookups ? ` <span class="count">${count(c.voidLookups, labels.voidLookup, labels.voidLookups)}</span>` : ''}${note}${record}${c.children.length ? spfTree(c, labels) : ''}</li>`;
    })
    .join('');
  return kids ? `<ul class="tree">${kids}</ul>` : '';
}

function finding(f: DomainFinding, index: number, labels: Labels): string {
  const fix = f.fix;
  let publish = '';
  if (fix) {
    const head = `<div class="publish-head">${escapeHtml(labels.publish)} <code>${escapeHtml(fix.type)}</code> <code>${escapeHtml(fix.name)}</code></div>`;
    const value = fix.value !== undefined ? `<div class="record-row"><pre>${escapeHtml(fix.value)}</pre><button type="button" class="copy-fix" data-index="${index}">${escapeHtml(labels.copyRecord)}</button></div>` : '';
    const note = fix.note ? `<p class="note">${escapeHtml(fix.note)}</p>` : '';
    publish = `<div class="publish">${head}${value}${note}</div>`;
  }
  return `<li class="finding ${escapeHtml(f.severity)}">${stateBadge(f.severity, labels)} <code>${escapeHtml(f.id)}</code><p>${escapeHtml(f.message)}</p>${publish}</li>`;
}

function policyRow(label: string, p: TxtPolicyReport, item: OverviewItem | undefined, labels: Labels): string {
  const failed = item?.state === 'failed';
  return `<tr><th>${escapeHtml(label)}</th><td><code>${escapeHtml(p.name)}</code></td><td>${value(p.record, failed, labels)}</td><td>${failed || !item ? '' : stateBadge(item.state, labels)}</td></tr>`;
}

export function renderReportHtml(r: DomainReport, options: ViewOptions): string {
  const { nonce, cspSource, labels } = options;
  const csp = [`default-src 'none'`, `style-src ${cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `img-src 'none'`, `font-src 'none'`].join('; ');

  const verdicts = r.verdicts
    .map((v) => `<tr><th>${escapeHtml(v.label)}</th><td>${statusBadge(v.status, labels)}</td><td>${v.reasons.map((x) => escapeHtml(x)).join('<br>')}</td></tr>`)
    .join('');

  const item = (part: OverviewItem['part'], name?: string) => (r.overview ?? []).find((i) => i.part === part && (name === undefined || i.name === name));
  const badge = (i: OverviewItem | undefined) => (i && i.state !== 'failed' ? ` ${stateBadge(i.state, labels)}` : '');

  const spfItem = item('spf');
  const spfFailed = spfItem?.state === 'failed' || r.spf.result === 'temperror';
  let spf: string;
  if (r.spf.record) {
    spf = `<p>${code(r.spf.record, labels.none)}${badge(spfItem)}</p><p>${fill(labels.lookups, `${r.spf.dnsLookups}/10`)} · ${fill(labels.voidLookups, `${r.spf.voidLookups}/2`)}</p>`;
    if (r.spf.tree?.children.length) spf += `<h3>${escapeHtml(labels.includeTree)}</h3><div class="tree-root"><span class="term">${escapeHtml(r.spf.tree.domain)}</span> <span class="count">${count(r.spf.tree.totalLookups, labels.lookup, labels.lookups)}</span>${spfTree(r.spf.tree, labels)}</div>`;
  } else if (r.spf.records.length > 1) {
    spf = r.spf.records.map((x) => `<p>${code(x, labels.none)}</p>`).join('') + `<p>${badge(spfItem)}</p>`;
  } else {
    spf = `<p>${value(null, spfFailed, labels)}${badge(spfItem)}</p>`;
  }

  const dm = r.dmarc;
  const dmarcItem = item('dmarc');
  const dmFailed = dmarcItem?.state === 'failed' || dm.result === 'temperror';
  const walk = dm.walk.map((s) => `<li><code>${escapeHtml(s.name)}</code> <span class="muted">${escapeHtml(walkLabel(s.status, labels))}</span></li>`).join('');
  const dmarc = `<table><tr><th>${escapeHtml(labels.record)}</th><td>${value(dm.record, dmFailed, labels)}${badge(dmarcItem)}</td></tr>
<tr><th>${escapeHtml(labels.foundAt)}</th><td>${value(dm.foundAt, dmFailed, labels)}</td></tr>
<tr><th>${escapeHtml(labels.policy)}</th><td>${value(dm.policy, dmFailed, labels)}</td></tr>
<tr><th>${escapeHtml(labels.organizationalDomain)}</th><td><code>${escapeHtml(dm.organizationalDomain)}</code></td></tr>
<tr><th>${escapeHtml(labels.pslOrganizationalDomain)}</th><td>${code(dm.pslOrganizationalDomain, labels.none)}</td></tr>
<tr><th>${escapeHtml(labels.treeWalk)}</th><td><ul class="plain">${walk}</ul></td></tr></table>`;

  const dkim = r.dkim.length
    ? `<table><tr><th>${escapeHtml(labels.selector)}</th><th>${escapeHtml(labels.record)}</th><th>${escapeHtml(labels.key)}</th><th>${escapeHtml(labels.status)}</th></tr>${r.dkim
        .map((d) => {
          const i = item('dkim', d.name);
          const failed = i?.state === 'failed' || d.status === 'dns-failure';
          const key = failed ? stateBadge('failed', labels) : d.keyBits ? escapeHtml(`${d.keyType} ${d.keyBits}-bit`) : '—';
          // The state is the findings' (a weak key warns here as below); the finding says why.
          const state = failed ? '' : `${i ? stateBadge(i.state, labels) : ''}${d.testing ? ' <span class="muted">t=y</span>' : ''}`;
          return `<tr><td><code>${escapeHtml(d.selector)}</code></td><td><code>${escapeHtml(d.name)}</code>${d.cnames.map((c) => ` → <code>${escapeHtml(c)}</code>`).join('')}${d.record ? `<br><code class="small">${escapeHtml(d.record)}</code>` : ''}</td><td class="nowrap">${key}</td><td>${state}</td></tr>`;
        })
        .join('')}</table>`
    : `<p class="muted">${escapeHtml(labels.noSelector)}</p>`;

  const mxItem = item('mx');
  const mx = r.mx.nullMx ? labels.nullMx : r.mx.records.map((m) => `${m.priority} ${m.exchange}`).join(', ');
  const mxFailed = mxItem?.state === 'failed';
  const others = `<table><tr><th>MX</th><td><code>${escapeHtml(r.domain)}</code></td><td>${value(mx || null, mxFailed, labels)}</td><td>${mxFailed || !mxItem ? '' : stateBadge(mxItem.state, labels)}</td></tr>${policyRow('MTA-STS', r.mtaSts, item('mta-sts'), labels)}${policyRow('TLS-RPT', r.tlsRpt, item('tls-rpt'), labels)}${policyRow('BIMI', r.bimi, item('bimi'), labels)}</table>`;

  const findings = r.findings.length ? `<ul class="findings">${r.findings.map((f, i) => finding(f, i, labels)).join('')}</ul>` : `<p>${escapeHtml(labels.noFindings)}</p>`;

  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/[&<>"]/g, (c) => ESCAPES[c]!)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${fill(labels.title, r.domain)}</title>
<style nonce="${escapeHtml(nonce)}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; } h3 { font-size: 1em; }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: .25em .8em .25em 0; }
code, pre { font-family: var(--vscode-editor-font-family); word-break: break-all; white-space: pre-wrap; }
pre { background: var(--vscode-textCodeBlock-background); padding: .5em; margin: .3em 0; flex: 1; }
.small { font-size: .9em; opacity: .85; } .muted { opacity: .7; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 3px; font-size: .85em; font-weight: 600; }
.badge-ok { background: var(--vscode-testing-iconPassed); color: var(--vscode-editor-background); }
.badge-bad { background: var(--vscode-errorForeground); color: var(--vscode-editor-background); }
.badge-warn { background: var(--vscode-editorWarning-foreground); color: var(--vscode-editor-background); }
.badge-info { background: var(--vscode-editorInfo-foreground); color: var(--vscode-editor-background); }
ul.tree { list-style: none; padding-left: 1.2em; border-left: 1px solid var(--vscode-panel-border); }
ul.plain { list-style: none; padding: 0; margin: 0; }
.count { opacity: .8; font-size: .9em; } .nowrap { white-space: nowrap; }
ul.findings { list-style: none; padding: 0; } li.finding { margin: .8em 0; padding-left: .6em; border-left: 3px solid var(--vscode-panel-border); }
li.finding.error { border-left-color: var(--vscode-errorForeground); } li.finding.warning { border-left-color: var(--vscode-editorWarning-foreground); }
.record-row { display: flex; gap: .5em; align-items: flex-start; } .note { margin: .2em 0; opacity: .9; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: .3em .8em; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
</style>
</head>
<body>
<h1>${fill(labels.title, r.domain)}</h1>
<p class="muted">${fill(r.queries === 1 ? labels.summaryOne : labels.summary, r.checkedAt, r.queries, r.durationMs)}</p>
<p><button type="button" id="copy-json">${escapeHtml(labels.copyJson)}</button></p>
<h2>${escapeHtml(labels.verdicts)}</h2>
<table>${verdicts}</table>
<h2>${escapeHtml(labels.spf)}</h2>
${spf}
<h2>${escapeHtml(labels.dmarc)}</h2>
${dmarc}
<h2>${escapeHtml(labels.dkim)}</h2>
${dkim}
<h2>${escapeHtml(labels.otherRecords)}</h2>
${others}
<h2>${escapeHtml(labels.findings)}</h2>
${findings}
<script nonce="${escapeHtml(nonce)}">
(function () {
  const vscode = acquireVsCodeApi();
  document.getElementById('copy-json').addEventListener('click', function () { vscode.postMessage({ type: 'copyJson' }); });
  document.querySelectorAll('button.copy-fix').forEach(function (b) {
    b.addEventListener('click', function () { vscode.postMessage({ type: 'copyFix', index: Number(b.getAttribute('data-index')) }); });
  });
})();
</script>
</body>
</html>`;
}
