/**
 * Beside the inspector: the full execution log (the highlighted step's lines marked), the
 * simulated services before and after the request, and the response with its export.
 */
import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import type { ServicesSnapshot, Trace } from '../../../engine/trace/types';
import { STATUS_TEXT, duration, statusClass } from '../format';
import type { Timeline } from '../playback/timeline';
import { useClock } from '../playback/use-clock';
import { useApp } from '../store';
import type { SideTab } from '../store/types';
import { Code, pretty } from './details';
import { deepEqual, diffSnapshots, formatValue } from './diff';
import { logLineOwners } from './log-lines';

const TABS: { id: SideTab; label: string }[] = [
  { id: 'log', label: 'Execution log' },
  { id: 'services', label: 'Services' },
  { id: 'response', label: 'Response' },
];

export function SidePanel({ timeline }: { timeline: Timeline | null }) {
  const tab = useApp((s) => s.sideTab);
  const setTab = useApp((s) => s.setSideTab);
  const onKey = (e: React.KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined;
    if (next) {
      e.preventDefault();
      e.stopPropagation();
      setTab(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };
  return (
    <section className="side-panel" aria-label="Log, services and response">
      <div className="tabs" role="tablist" aria-label="Panels" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {!timeline ? (
          <p className="muted pad">Nothing yet.</p>
        ) : tab === 'log' ? (
          <LogPanel trace={timeline.trace} />
        ) : tab === 'services' ? (
          <ServicesPanel trace={timeline.trace} />
        ) : (
          <ResponsePanel trace={timeline.trace} />
        )}
      </div>
    </section>
  );
}

function LogPanel({ trace }: { trace: Trace }) {
  const stepIndex = useDeferredValue(useClock((s) => (s.timeline?.trace === trace ? (s.frame?.stepIndex ?? -1) : -1)));
  const owners = useMemo(() => logLineOwners(trace), [trace]);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Bring the step's first line into view inside the panel (never scroll the page).
    const el = box.current;
    const first = el?.querySelector<HTMLElement>('.line.mine');
    if (!el || !first) return;
    const top = first.offsetTop - el.offsetTop;
    if (top < el.scrollTop || top > el.scrollTop + el.clientHeight - 40) el.scrollTop = Math.max(0, top - 24);
  }, [stepIndex, trace]);
  return (
    <div className="log-panel" ref={box} aria-label="Execution log" role="log">
      {trace.executionLog.length === 0 && <p className="muted">No execution log for this request.</p>}
      {trace.executionLog.map((line, i) => (
        <div key={i} className={`line${owners[i] === stepIndex ? ' mine' : ''}${owners[i]! > stepIndex ? ' later' : ''}`}>
          {line}
        </div>
      ))}
      {trace.functionLogs && trace.functionLogs.length > 0 && (
        <>
          <h4>Lambda function logs</h4>
          {trace.functionLogs.map((line, i) => (
            <div key={`f${i}`} className="line fn">
              {line}
            </div>
          ))}
        </>
      )}
      {trace.accessLog && (
        <>
          <h4>Access log</h4>
          <div className="line">{trace.accessLog}</div>
        </>
      )}
    </div>
  );
}

function ServicesPanel({ trace }: { trace: Trace }) {
  const services = trace.services;
  const kinds = useMemo(() => {
    if (!services) return [];
    return [...new Set([...Object.keys(services.before), ...Object.keys(services.after)])];
  }, [services]);
  if (!services || kinds.length === 0) {
    return (
      <p className="muted pad">
        This scenario uses no simulated services. Lambda functions, usage plans, tables, queues and WebSocket connections show here, before and after
        each request, when a scenario has them.
      </p>
    );
  }
  return (
    <div className="services">
      <p className="muted small">Before and after this request.</p>
      {kinds.map((kind) => (
        <ServiceKind key={kind} kind={kind} before={services.before} after={services.after} />
      ))}
    </div>
  );
}

const KIND_LABELS: Record<string, string> = { lambda: 'Lambda functions', usagePlans: 'Usage plans', tables: 'Tables', queues: 'Queues', buckets: 'S3 buckets', connections: 'WebSocket connections', cache: 'Stage cache' };

function ServiceKind({ kind, before, after }: { kind: string; before: ServicesSnapshot; after: ServicesSnapshot }) {
  const b = before[kind] ?? {};
  const a = after[kind] ?? {};
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return (
    <section className="service-kind" aria-label={KIND_LABELS[kind] ?? kind}>
      <h4>{KIND_LABELS[kind] ?? kind}</h4>
      <ul>
        {names.map((name) => {
          const same = deepEqual(b[name], a[name]);
          if (isTable(a[name]) || isTable(b[name])) return <TableState key={name} name={name} before={b[name]} after={a[name]} />;
          const changes = same ? [] : diffSnapshots(b[name], a[name], 3);
          return (
            <li key={name} className={same ? 'same' : 'changed'}>
              <div className="service-head">
                <strong>{name}</strong>
                <span className={`tag ${same ? '' : 'warn'}`}>{same ? 'unchanged' : 'changed'}</span>
              </div>
              {same ? (
                <code className="small">{formatValue(a[name], 240)}</code>
              ) : (
                <ul className="service-changes">
                  {changes.map((c, i) => (
                    <li key={i}>
                      <code>{c.path.join('.') || name}</code>: <code className="old">{c.kind === 'added' ? '—' : formatValue(c.before, 120)}</code> →{' '}
                      <code className="new">{c.kind === 'removed' ? '—' : formatValue(c.after, 120)}</code>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

type KeySchema = string | { readonly name: string };

interface TableSnapshot {
  readonly partitionKey?: KeySchema;
  readonly sortKey?: KeySchema;
  readonly itemCount?: number;
  readonly items: readonly unknown[];
}

const keyName = (k: KeySchema): string => (typeof k === 'string' ? k : k.name);

function isTable(v: unknown): v is TableSnapshot {
  return typeof v === 'object' && v !== null && Array.isArray((v as { items?: unknown }).items);
}

/** A table as its items: the ones this request added are green, the ones it removed struck out. */
function TableState({ name, before, after }: { name: string; before: unknown; after: unknown }) {
  const was = isTable(before) ? before.items.map((i) => JSON.stringify(i)) : [];
  const now = isTable(after) ? after.items.map((i) => JSON.stringify(i)) : [];
  const removed = was.filter((i) => !now.includes(i));
  const table = isTable(after) ? after : isTable(before) ? before : undefined;
  const changed = removed.length > 0 || now.some((i) => !was.includes(i));
  return (
    <li className={changed ? 'changed' : 'same'}>
      <div className="service-head">
        <strong>{name}</strong>
        <span className="muted small">
          {table?.partitionKey ? `key ${keyName(table.partitionKey)}${table.sortKey ? ` + ${keyName(table.sortKey)}` : ''} · ` : ''}
          {now.length} item{now.length === 1 ? '' : 's'}
        </span>
        <span className={`tag ${changed ? 'warn' : ''}`}>{changed ? 'changed' : 'unchanged'}</span>
      </div>
      <ul className="service-changes items">
        {now.map((i) => (
          <li key={i}>
            <code className={was.includes(i) ? '' : 'new'}>
              {was.includes(i) ? '' : '+ '}
              {i}
            </code>
          </li>
        ))}
        {removed.map((i) => (
          <li key={`-${i}`}>
            <code className="old">− {i}</code>
          </li>
        ))}
      </ul>
    </li>
  );
}

function ResponsePanel({ trace }: { trace: Trace }) {
  const exportTrace = useApp((s) => s.exportTrace);
  const r = trace.response;
  const download = async (format: 'json' | 'har') => {
    const out = await exportTrace(format);
    if (!out) return;
    const url = URL.createObjectURL(new Blob([out.content], { type: out.mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = out.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="response-panel">
      <p>
        <span className={`status ${statusClass(r.statusCode)}`}>
          {r.statusCode} {STATUS_TEXT[r.statusCode] ?? ''}
        </span>{' '}
        <span className="muted small">after {duration(trace.durationMs)} · request id {trace.id}</span>
      </p>
      <h4>Headers</h4>
      <dl className="kv">
        {/* One row per value: two Set-Cookie values are two header lines, not one joined with a comma. */}
        {Object.entries(r.headers).flatMap(([k, v]) =>
          [v].flat().map((value, i) => (
            <div key={`${k}#${i}`} className="kv-row">
              <dt>{k}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          )),
        )}
      </dl>
      <h4>Body</h4>
      <Code text={r.isBase64Encoded ? `(base64) ${r.body}` : pretty(r.body)} label="Response body" />
      <div className="exports">
        <button type="button" className="secondary small" onClick={() => void download('json')}>
          Export JSON
        </button>
        <button type="button" className="secondary small" onClick={() => void download('har')}>
          Export HAR
        </button>
      </div>
    </div>
  );
}
