/**
 * The live view: "what is my real client sending?" A switch starts the open scenario's API on a
 * real listener on 127.0.0.1; curl, a browser or wscat talk to it, and each request they send
 * appears here as it arrives, with where it stopped. Picking one plays its trace in the player.
 */
import { useMemo, useState } from 'react';
import { LIVE_TRACES_PER_SECOND } from '../../../engine/api/calls';
import type { ScenarioSummary } from '../../../engine/api/types';
import type { Trace } from '../../../engine/trace/types';
import { stepName } from '../diagram/step-facts';
import { STATUS_TEXT, duration, statusClass } from '../format';
import { requestLine, requestVerb } from '../player/StageHeader';
import { NeedsScenario, ScenarioBar } from '../shared/ScenarioBar';
import { useApp } from '../store';
import { CopyIcon } from '../ui/icons';

const fitsLive = (_s: ScenarioSummary) => true;

export function LiveView() {
  const session = useApp((s) => s.session);
  return (
    <main className="view live-view" aria-labelledby="live-title">
      <div className="view-inner">
        <header className="view-head">
          <h1 id="live-title">Live endpoint</h1>
          <p className="lede">Serve the scenario’s API on your machine and point a real client at it: every request it sends shows up here, step by step.</p>
        </header>
        <ScenarioBar fits={fitsLive} />
        {!session ? (
          <NeedsScenario title="Pick an API to serve" why="The live endpoint serves an open scenario’s API. Open one:" fits={fitsLive} />
        ) : (
          <div className="live-layout">
            <LiveControls />
            <LiveTraces />
          </div>
        )}
      </div>
    </main>
  );
}

function LiveControls() {
  const session = useApp((s) => s.session)!;
  const live = useApp((s) => s.live);
  const toggle = useApp((s) => s.toggleLive);
  const busy = useApp((s) => s.busy);
  const gateway = useApp((s) => s.liveGateway);
  const setGateway = useApp((s) => s.setLiveGateway);
  const gateways = session.scenario.gateways;
  const examples = useMemo(() => (live ? examplesFor(live.url, live.gateway, session.composer.endpoints) : []), [live, session]);
  return (
    <section className="panel live-controls" aria-label="Live endpoint">
      <div className="live-switch-row">
        <button type="button" role="switch" aria-checked={live !== null} className={`switch${live ? ' on' : ''}`} disabled={busy} onClick={() => void toggle()}>
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span className="switch-label">Live endpoint</span>
        </button>
        <span className={`live-state${live ? ' on' : ''}`} aria-live="polite">
          {live ? 'Listening on 127.0.0.1' : 'Off'}
        </span>
        {gateways.length > 1 && (
          <label className="live-gateway">
            <span className="muted small">Serve the</span>
            <select value={gateway ?? gateways[0]} disabled={live !== null} onChange={(e) => setGateway(e.target.value as (typeof gateways)[number])} aria-label="API to serve">
              {gateways.map((g) => (
                <option key={g} value={g}>
                  {g === 'WEBSOCKET' ? 'WebSocket' : g} API
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {live ? (
        <>
          <div className="live-url">
            <span className="eyebrow">URL</span>
            <code aria-label="Live endpoint URL">{live.url}</code>
            <CopyButton text={live.url} label="Copy the URL" />
          </div>
          <div className="examples">
            <span className="eyebrow">Try it from a terminal</span>
            {examples.map((ex) => (
              <div key={ex} className="example">
                <code>{ex}</code>
                <CopyButton text={ex} label={`Copy: ${ex}`} />
              </div>
            ))}
          </div>
          <p className="muted small">Only this machine can reach it. It runs on the real clock with fresh ids, as AWS would; the scenario’s steps are not replayed.</p>
        </>
      ) : (
        <p className="muted">Turn it on to get a URL for curl, Postman, a browser front end{gateways.includes('WEBSOCKET') ? ' or wscat' : ''}.</p>
      )}
    </section>
  );
}

/** curl (or wscat) lines for the API's first endpoints. */
function examplesFor(url: string, gateway: string, endpoints: readonly { gateway: string; method: string; path: string }[]): string[] {
  if (gateway === 'WEBSOCKET') return [`wscat -c ${url}`];
  const origin = new URL(url).origin;
  const mine = endpoints.filter((e) => e.gateway === gateway).slice(0, 3);
  if (mine.length === 0) return [`curl -i ${url}/`];
  return mine.map((e) => {
    const path = e.path.replace(/\{[^}]+\}/g, '1');
    const method = e.method === 'ANY' ? 'GET' : e.method;
    const data = method === 'POST' || method === 'PUT' || method === 'PATCH' ? ` -H 'content-type: application/json' -d '{}'` : '';
    return `curl -i${method === 'GET' ? '' : ` -X ${method}`} ${origin}${path}${data}`;
  });
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="icon-button small"
      aria-label={label}
      title={copied ? 'Copied' : 'Copy'}
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          },
          // No clipboard permission (an embedded browser): the text stays selectable.
          () => undefined,
        );
      }}
    >
      <CopyIcon />
    </button>
  );
}

function LiveTraces() {
  const traces = useApp((s) => s.liveTraces);
  const unlisted = useApp((s) => s.liveUnlisted);
  const live = useApp((s) => s.live);
  const clear = useApp((s) => s.clearLiveTraces);
  const openInPlayer = useApp((s) => s.openInPlayer);
  return (
    <section className="panel live-traces" aria-labelledby="live-traces-title">
      <div className="panel-head">
        <h2 id="live-traces-title">
          Requests <span className="count" aria-label={`${traces.length} requests`}>{traces.length}</span>
        </h2>
        <span className="spacer" />
        {traces.length > 0 && (
          <button type="button" className="ghost small" onClick={clear}>
            Clear
          </button>
        )}
      </div>
      {unlisted > 0 && (
        <p className="muted live-unlisted" role="status">
          {unlisted.toLocaleString('en-US')} more {unlisted === 1 ? 'request was' : 'requests were'} served than listed: under load the list shows up to{' '}
          {LIVE_TRACES_PER_SECOND} a second, always the newest.
        </p>
      )}
      {traces.length === 0 ? (
        <p className="muted empty-live">{live ? 'Waiting for the first request…' : 'Requests to the live endpoint appear here as they arrive.'}</p>
      ) : (
        <table className="live-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Stopped at</th>
              <th scope="col" className="num">
                Took
              </th>
            </tr>
          </thead>
          <tbody aria-live="polite" aria-relevant="additions">
            {traces.map((t) => (
              <LiveRow key={t.id} trace={t} onOpen={() => openInPlayer(t, 'live')} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LiveRow({ trace: t, onOpen }: { trace: Trace; onOpen(): void }) {
  const status = t.response.statusCode;
  const time = new Date(t.startedAt).toLocaleTimeString('en-GB', { hour12: false }) + `.${String(t.startedAt % 1000).padStart(3, '0')}`;
  return (
    <tr className="live-row">
      <td className="mono small muted">{time}</td>
      <td>
        <button type="button" className="link live-open" onClick={onOpen} aria-label={`Play ${requestVerb(t)} ${requestLine(t)} in the player`}>
          <span className="verb">{requestVerb(t)}</span> <code>{requestLine(t)}</code>
        </button>
      </td>
      <td>
        <span className={`status ${statusClass(status)}`}>
          {status} {STATUS_TEXT[status] ?? ''}
        </span>
      </td>
      <td className="small">
        {t.stoppedAt ? (
          <>
            {stepName({ step: t.stoppedAt }, t.api.type)}
            {t.gatewayResponse && <span className="muted"> · {t.gatewayResponse.type}</span>}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="num small muted">{duration(t.durationMs)}</td>
    </tr>
  );
}
