/**
 * A request to send in the compare and load views: the scenario's own requests as starting
 * points, then the method, the path (with its query), headers one `Name: value` per line, and a
 * body.
 */
import { useId, useMemo } from 'react';
import { scenarioRequests, draftOf } from '../requests';
import { useApp } from '../store';
import type { RequestDraft } from '../store/types';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function RequestEditor({ draft, onChange, hint }: { draft: RequestDraft; onChange(patch: Partial<RequestDraft>): void; hint?: string }) {
  const session = useApp((s) => s.session);
  const presets = useMemo(() => scenarioRequests(session), [session]);
  const id = useId();
  const showBody = draft.method !== 'GET' && draft.method !== 'HEAD';
  return (
    <fieldset className="request-editor">
      <legend className="eyebrow">Request</legend>
      {presets.length > 0 && (
        <select
          aria-label="Start from one of the scenario's requests"
          value=""
          onChange={(e) => {
            const p = presets[Number(e.target.value)];
            if (p) onChange(draftOf(p.request));
          }}
        >
          <option value="">From the scenario…</option>
          {presets.map((p, i) => (
            <option key={i} value={i}>
              {p.label}
            </option>
          ))}
        </select>
      )}
      <div className="request-line">
        <select aria-label="Method" value={draft.method} onChange={(e) => onChange({ method: e.target.value })}>
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <input aria-label="Path" className="path-input" value={draft.path} spellCheck={false} onChange={(e) => onChange({ path: e.target.value })} />
      </div>
      {hint && <p className="muted small">{hint}</p>}
      <label className="field" htmlFor={`${id}-h`}>
        <span>Headers</span>
        <textarea id={`${id}-h`} rows={2} spellCheck={false} placeholder="X-Tag: a" value={draft.headers} onChange={(e) => onChange({ headers: e.target.value })} />
      </label>
      {showBody && (
        <label className="field" htmlFor={`${id}-b`}>
          <span>Body</span>
          <textarea id={`${id}-b`} rows={3} spellCheck={false} placeholder='{"name": "Rex"}' value={draft.body} onChange={(e) => onChange({ body: e.target.value })} />
        </label>
      )}
    </fieldset>
  );
}
