/**
 * The request composer: an ad-hoc request to the loaded API (method, path, headers, query, body),
 * with the scenario's identities and API keys one click away. A token is written as
 * `{{token.NAME}}`: the engine mints it when the request is sent, on the scenario's clock. The
 * new trace plays at once.
 */
import { type FormEvent, useEffect, useId, useRef } from 'react';
import type { RequestSpec } from '../../../engine/scenario/types';
import type { GatewayType } from '../../../engine/trace/types';
import { useApp } from '../store';
import type { KeyValue } from '../store/types';
import { CloseIcon, PlusIcon, SendIcon } from '../ui/icons';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function toMap(rows: readonly KeyValue[]): Record<string, string> | undefined {
  const kept = rows.filter((r) => r.key.trim() !== '');
  return kept.length ? Object.fromEntries(kept.map((r) => [r.key.trim(), r.value])) : undefined;
}

export function Composer() {
  const dialog = useRef<HTMLDialogElement>(null);
  const draft = useApp((s) => s.composer);
  const setDraft = useApp((s) => s.setComposer);
  const session = useApp((s) => s.session)!;
  const send = useApp((s) => s.send);
  const busy = useApp((s) => s.busy);
  const close = useApp((s) => s.setComposerOpen);
  const listId = useId();
  const { endpoints, identity, apiKeys, clients } = session.composer;
  const gateways = session.scenario.gateways;
  const gateway: GatewayType = draft.gateway ?? gateways[0] ?? 'REST';

  useEffect(() => {
    // Modal: focus moves in, the page behind is inert, Escape closes. Unmounting removes it; no
    // close() in a cleanup (StrictMode's second run would close it again at once).
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const setHeader = (name: string, value: string) => {
    const rows = draft.headers.filter((h) => h.key.toLowerCase() !== name.toLowerCase());
    setDraft({ headers: [...rows, { key: name, value }] });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const headers = toMap(draft.headers);
    const query = toMap(draft.query);
    const spec: RequestSpec = {
      method: draft.method,
      path: draft.path.startsWith('/') ? draft.path : `/${draft.path}`,
      ...(headers ? { headers } : {}),
      ...(query ? { query } : {}),
      ...(draft.body !== '' ? { body: draft.body } : {}),
    };
    if (await send(spec, gateways.length > 1 ? gateway : null)) close(false);
  };

  return (
    <dialog ref={dialog} className="composer" aria-labelledby="composer-title" onCancel={() => close(false)} onClose={() => close(false)}>
      <form onSubmit={(e) => void submit(e)}>
        <header className="composer-head">
          <h2 id="composer-title">New request</h2>
          <span className="muted small">to {session.scenario.title}</span>
          <span className="spacer" />
          <button type="button" className="icon-button" aria-label="Close the composer" onClick={() => close(false)}>
            <CloseIcon />
          </button>
        </header>
        <div className="composer-line">
          {gateways.length > 1 && (
            <select aria-label="Gateway type" value={gateway} onChange={(e) => setDraft({ gateway: e.target.value as GatewayType })}>
              {gateways.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          )}
          <select aria-label="Method" value={draft.method} onChange={(e) => setDraft({ method: e.target.value })}>
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <input className="path-input" aria-label="Path" list={listId} value={draft.path} spellCheck={false} onChange={(e) => setDraft({ path: e.target.value })} />
          <datalist id={listId}>
            {endpoints
              .filter((ep) => ep.gateway === gateway)
              .map((ep) => (
                <option key={`${ep.method} ${ep.path}`} value={ep.path}>
                  {ep.method} {ep.path}
                </option>
              ))}
          </datalist>
        </div>
        {endpoints.length > 0 && (
          <p className="endpoints small">
            <span className="muted">Endpoints: </span>
            {endpoints
              .filter((ep) => ep.gateway === gateway)
              .slice(0, 12)
              .map((ep) => (
                <button
                  key={`${ep.method} ${ep.path}`}
                  type="button"
                  className="chip small"
                  onClick={() => setDraft({ method: ep.method === 'ANY' ? 'GET' : ep.method, path: ep.path })}
                >
                  {ep.method} {ep.path}
                </button>
              ))}
          </p>
        )}
        {gateway === 'WEBSOCKET' && (
          <div className="identities" role="group" aria-label="Connections">
            <p className="small">
              A WebSocket API takes ad-hoc requests on its <code>@connections</code> management API: POST sends a frame to a client, GET describes its
              connection, DELETE disconnects it.
            </p>
            {clients.length > 0 && (
              <p className="small">
                <span className="muted">Client: </span>
                {clients.map((name) => (
                  <button
                    key={name}
                    type="button"
                    className="chip small"
                    aria-label={`Use ${name}'s connection`}
                    onClick={() => setDraft({ path: `/${session.stage}/@connections/{{connection.${name}}}` })}
                  >
                    {name}
                  </button>
                ))}
              </p>
            )}
          </div>
        )}
        {(identity || apiKeys.length > 0) && (
          <div className="identities" role="group" aria-label="Credentials">
            {identity && (
              <p className="small">
                <span className="muted">Sign in with {identity.issuer}: </span>
                {[...identity.users, ...identity.tokens].map((name) => (
                  <button key={name} type="button" className="chip small" aria-label={`Use token ${name}`} onClick={() => setHeader('Authorization', `Bearer {{token.${name}}}`)}>
                    {name}
                  </button>
                ))}
              </p>
            )}
            {apiKeys.length > 0 && (
              <p className="small">
                <span className="muted">API keys: </span>
                {apiKeys.map((name) => (
                  <button key={name} type="button" className="chip small" aria-label={`Use API key ${name}`} onClick={() => setHeader('x-api-key', `{{apiKey.${name}}}`)}>
                    {name}
                  </button>
                ))}
              </p>
            )}
            <p className="muted small">A token is minted when the request is sent, on the scenario’s clock.</p>
          </div>
        )}
        <Rows title="Headers" noun="header" rows={draft.headers} onChange={(headers) => setDraft({ headers })} />
        <Rows title="Query" noun="query parameter" rows={draft.query} onChange={(query) => setDraft({ query })} />
        <label className="body-field">
          <span>Body</span>
          <textarea aria-label="Body" rows={5} spellCheck={false} value={draft.body} placeholder='{"name": "Rex"}' onChange={(e) => setDraft({ body: e.target.value })} />
        </label>
        <footer className="composer-foot">
          <button type="button" className="secondary" onClick={() => close(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            <SendIcon /> Send
          </button>
        </footer>
      </form>
    </dialog>
  );
}

function Rows({ title, noun, rows, onChange }: { title: string; noun: string; rows: readonly KeyValue[]; onChange(rows: KeyValue[]): void }) {
  const update = (i: number, patch: Partial<KeyValue>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="rows">
      <legend>{title}</legend>
      {rows.map((r, i) => (
        <div key={i} className="row">
          <input aria-label={`${title} ${i + 1} name`} placeholder="name" value={r.key} spellCheck={false} onChange={(e) => update(i, { key: e.target.value })} />
          <input aria-label={`${title} ${i + 1} value`} placeholder="value" value={r.value} spellCheck={false} onChange={(e) => update(i, { value: e.target.value })} />
          <button type="button" className="icon-button small" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => onChange(rows.filter((_r, j) => j !== i))}>
            <CloseIcon />
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        <PlusIcon /> Add {noun}
      </button>
    </fieldset>
  );
}
