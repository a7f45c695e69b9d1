/**
 * Step-specific facts from a trace step's `detail`, each shown the way it is best read: a
 * mapping template beside its input and output, the authorizer's policy as a table, the JWT's
 * claims, the token buckets as bars, the routes considered, a Lambda's cold start and logs.
 * Keys no view knows fall through to a plain list, so new engine facts always show.
 */
import { type ReactNode, useState } from 'react';
import type { Trace, TraceStep } from '../../../engine/trace/types';
import { formatValue } from './diff';

type Detail = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={`insp-section${className ? ` ${className}` : ''}`} aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/**
 * A folded section whose content is built only once opened: snapshots and events are large, and
 * building them for every step would cost frames during playback.
 */
export function Fold({ summary, render }: { summary: string; render: () => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="insp-section fold" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open && render()}
    </details>
  );
}

export function Code({ text, label }: { text: string; label?: string }) {
  return (
    <pre className="code" aria-label={label}>
      {text === '' ? <span className="muted">(empty)</span> : text}
    </pre>
  );
}

/** Pretty JSON when the text is JSON, else the text. */
export function pretty(text: unknown): string {
  if (typeof text !== 'string') return JSON.stringify(text, null, 2) ?? '';
  const t = text.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}

function KeyValues({ rows, label }: { rows: readonly (readonly [string, unknown])[]; label?: string }) {
  if (rows.length === 0) return null;
  return (
    <dl className="kv" aria-label={label}>
      {rows.map(([k, v]) => (
        <div key={k} className="kv-row">
          <dt>{k}</dt>
          <dd>{isObj(v) || Array.isArray(v) ? <code>{formatValue(v, 600)}</code> : <code>{str(v) === '' ? '""' : str(v)}</code>}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The body a mapping template read: the method request's (request side) or the endpoint response's. */
function templateInput(step: TraceStep): string | undefined {
  const before = step.before ?? {};
  const source = step.phase === 'integrationResponse' ? before.endpointResponse : before.methodRequest ?? before.request;
  return isObj(source) ? str(source.body) : undefined;
}

function TemplateView({ step, template }: { step: TraceStep; template: Detail }) {
  const input = templateInput(step);
  const reads = Array.isArray(template.reads) ? (template.reads as string[]) : [];
  return (
    <Section title={`Mapping template${template.contentType ? ` (${str(template.contentType)})` : ''}`} className="template">
      <div className="template-grid">
        {input !== undefined && (
          <div>
            <h4>Input body</h4>
            <Code text={pretty(input)} label="Template input" />
          </div>
        )}
        <div>
          <h4>Template</h4>
          <Code text={str(template.template)} label="Template" />
        </div>
        <div>
          <h4>Output</h4>
          <Code text={pretty(str(template.output))} label="Template output" />
        </div>
      </div>
      {reads.length > 0 && (
        <p className="reads">
          Reads{' '}
          {reads.map((r) => (
            <code key={r} className="chip-code">
              {r}
            </code>
          ))}
        </p>
      )}
    </Section>
  );
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

function PolicyView({ policy }: { policy: Detail }) {
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]).filter(isObj) as Statement[];
  return (
    <Section title="Policy the authorizer returned">
      <table className="table">
        <thead>
          <tr>
            <th>Effect</th>
            <th>Action</th>
            <th>Resource</th>
          </tr>
        </thead>
        <tbody>
          {statements.map((s, i) => (
            <tr key={i}>
              <td className={s.Effect === 'Deny' ? 'deny' : 'allow'}>{s.Effect}</td>
              <td>
                <code>{[s.Action].flat().join(', ')}</code>
              </td>
              <td>
                <code>{[s.Resource].flat().join(', ')}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

interface Bucket {
  level?: string;
  bucket?: string;
  key?: string;
  rate?: number;
  burst?: number;
  tokensBefore?: number;
  tokensAfter?: number;
  allowed?: boolean;
}

function BucketsView({ buckets }: { buckets: Bucket[] }) {
  return (
    <Section title="Token buckets">
      <ul className="buckets">
        {buckets.map((b, i) => {
          const burst = b.burst ?? Math.max(b.tokensBefore ?? 0, 1);
          const pct = (v: number | undefined) => `${Math.max(0, Math.min(100, ((v ?? 0) / burst) * 100))}%`;
          return (
            <li key={i} className={b.allowed === false ? 'empty' : ''}>
              <div className="bucket-head">
                <strong>{b.level ?? b.bucket ?? b.key}</strong>
                <span className="muted small">
                  {b.rate !== undefined ? `${b.rate}/s, burst ${b.burst}` : ''}
                </span>
                <span className="spacer" />
                <code>
                  {fmt(b.tokensBefore)} → {fmt(b.tokensAfter)} tokens
                </code>
                {b.allowed === false && <span className="tag bad">empty: 429</span>}
              </div>
              <div className="bar" aria-hidden="true">
                <span className="before" style={{ width: pct(b.tokensBefore) }} />
                <span className="after" style={{ width: pct(b.tokensAfter) }} />
              </div>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function fmt(n: number | undefined): string {
  if (n === undefined) return '?';
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

interface Considered {
  resource?: string;
  routeKey?: string;
  verdict?: string;
}

function ConsideredView({ considered }: { considered: Considered[] }) {
  return (
    <Section title="Routes considered">
      <ul className="considered">
        {considered.map((c, i) => (
          <li key={i} className={c.verdict?.startsWith('chosen') ? 'chosen' : ''}>
            <code>{c.routeKey ?? c.resource}</code> <span className="muted">{c.verdict}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function LinesView({ title, lines }: { title: string; lines: readonly string[] }) {
  return (
    <Section title={title}>
      <pre className="code log">{lines.join('\n')}</pre>
    </Section>
  );
}

const HANDLED = new Set(['template', 'policy', 'claims', 'context', 'buckets', 'considered', 'functionLogs', 'event', 'payload', 'quota']);

/** Every fact of a step's detail, the known ones in their own views. */
export function DetailView({ step, trace }: { step: TraceStep; trace: Trace }) {
  const d: Detail = step.detail ?? {};
  const rest = Object.entries(d).filter(([k, v]) => !HANDLED.has(k) && v !== undefined && v !== null && !(isObj(v) && Object.keys(v).length === 0));
  const quota = isObj(d.quota) ? d.quota : undefined;
  return (
    <>
      {isObj(d.template) && <TemplateView step={step} template={d.template} />}
      {isObj(d.policy) && <PolicyView policy={d.policy} />}
      {isObj(d.claims) && (
        <Section title="Token claims">
          <KeyValues rows={Object.entries(d.claims)} label="Claims" />
        </Section>
      )}
      {isObj(d.context) && Object.keys(d.context).length > 0 && (
        <Section title="Authorizer context">
          <KeyValues rows={Object.entries(d.context)} label="Context" />
        </Section>
      )}
      {Array.isArray(d.buckets) && d.buckets.length > 0 && <BucketsView buckets={d.buckets as Bucket[]} />}
      {quota && (
        <Section title="Usage plan quota">
          <p>
            <code>
              {str(quota.used)} of {str(quota.limit)}
            </code>{' '}
            requests used this period{quota.allowed === false ? ': the quota is used up (429).' : '.'}
          </p>
        </Section>
      )}
      {Array.isArray(d.considered) && d.considered.length > 0 && <ConsideredView considered={d.considered as Considered[]} />}
      {rest.length > 0 && (
        <Section title="What this step found">
          <KeyValues rows={rest} label="Step facts" />
        </Section>
      )}
      {(d.event !== undefined || d.payload !== undefined) && (
        <Fold summary={d.event !== undefined ? 'The event sent to the function' : 'What the function returned'} render={() => <Code text={pretty(d.event ?? d.payload)} />} />
      )}
      {Array.isArray(d.functionLogs) && d.functionLogs.length > 0 && <LinesView title="Lambda function log" lines={d.functionLogs as string[]} />}
      {step.step === 'gatewayResponse' && trace.gatewayResponse && (
        <Section title="Gateway response sent">
          <p>
            <code>{trace.gatewayResponse.type}</code> with status <code>{trace.gatewayResponse.statusCode}</code>. The body below is what the client got.
          </p>
          <Code text={pretty(trace.response.body)} label="Gateway response body" />
        </Section>
      )}
    </>
  );
}

/**
 * WebSocket: what the backend did through other services while its integration ran (table
 * reads and writes, PostToConnection calls, 410 Gone ones included), and the frames API Gateway
 * sent to clients because of this event.
 */
export function WebSocketView({ trace, step }: { trace: Trace; step: TraceStep }) {
  const ws = trace.websocket;
  if (!ws || !['integration', 'connectionsApi', 'routeResponse'].includes(step.step)) return null;
  const calls = step.step === 'routeResponse' ? [] : (ws.serviceCalls ?? []);
  const frames = ws.frames.filter((f) => (step.step === 'routeResponse' ? f.source === 'routeResponse' : f.source !== 'routeResponse'));
  return (
    <>
      {calls.length > 0 && (
        <Section title="Calls the function made">
          <table className="table">
            <thead>
              <tr>
                <th>Service</th>
                <th>Call</th>
                <th>About</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((c, i) => (
                <tr key={i}>
                  <td>{c.service === 'execute-api' ? '@connections' : c.service}</td>
                  <td>
                    <code>{c.method}</code>
                  </td>
                  <td>
                    <code>{c.client ? `${c.client} (${c.target})` : c.target}</code>
                  </td>
                  <td className={c.statusCode >= 400 ? 'deny' : 'allow'}>
                    {c.statusCode}
                    {c.error ? ` ${c.error}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {frames.length > 0 && (
        <Section title="Frames sent to clients">
          <ul className="considered">
            {frames.map((f, i) => (
              <li key={i}>
                <strong>{f.client ?? f.connectionId}</strong> <span className="muted">← {f.source === 'postToConnection' ? '@connections' : f.source}</span> <code>{f.data}</code>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}
