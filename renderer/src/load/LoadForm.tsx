/** What to simulate: the request, the arrival pattern, the rate and the duration; Start, progress and Cancel. */
import { useId } from 'react';
import type { LoadSpec } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';
import { RequestEditor } from '../shared/RequestEditor';
import { useApp } from '../store';
import { comparableGateways } from '../store/compare-slice';
import { PlayIcon, StopIcon } from '../ui/icons';

const ARRIVALS: readonly { value: LoadSpec['arrival']; label: string; hint: string }[] = [
  { value: 'constant', label: 'Constant', hint: 'evenly spaced' },
  { value: 'poisson', label: 'Poisson', hint: 'random gaps, as independent users' },
  { value: 'burst', label: 'Bursts', hint: 'all at once, every second' },
];

const RATE_PRESETS = [10, 100, 1000, 5000];

export function LoadForm() {
  const session = useApp((s) => s.session)!;
  const form = useApp((s) => s.loadForm);
  const set = useApp((s) => s.setLoadForm);
  const run = useApp((s) => s.loadRun);
  const start = useApp((s) => s.startLoad);
  const cancel = useApp((s) => s.cancelLoad);
  const id = useId();
  const gateways = comparableGateways(session);
  const running = run?.status === 'running' || run?.status === 'starting';
  const total = Math.round(form.ratePerSecond * form.durationSeconds);
  const pct = Math.round((run?.fraction ?? 0) * 100);
  return (
    <form
      className="panel load-form"
      aria-label="Load to simulate"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      {gateways.length > 1 && (
        <label className="field">
          <span>API</span>
          <select value={form.gateway ?? ''} onChange={(e) => set({ gateway: e.target.value as GatewayType })} disabled={running}>
            {gateways.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      )}
      <RequestEditor draft={form.request} onChange={(patch) => set({ request: { ...form.request, ...patch } })} hint="{{random:50}} in the path varies it per request (1 to 50); {{seq}} counts." />
      <fieldset className="arrivals">
        <legend className="eyebrow">Arrivals</legend>
        {ARRIVALS.map((a) => (
          <label key={a.value} className="radio">
            <input type="radio" name={`${id}-arrival`} value={a.value} checked={form.arrival === a.value} onChange={() => set({ arrival: a.value })} disabled={running} />
            <span>
              {a.label} <span className="muted small">{a.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <label className="field">
          <span>{form.arrival === 'burst' ? 'Requests per burst' : 'Requests per second'}</span>
          <input type="number" min={1} max={100000} step="any" value={form.ratePerSecond} disabled={running} onChange={(e) => set({ ratePerSecond: Math.max(0.1, Number(e.target.value) || 0) })} />
        </label>
        <label className="field">
          <span>Seconds</span>
          <input type="number" min={1} max={3600} step={1} value={form.durationSeconds} disabled={running} onChange={(e) => set({ durationSeconds: Math.max(1, Math.round(Number(e.target.value) || 0)) })} />
        </label>
      </div>
      <div className="chips" role="group" aria-label="Rate presets">
        {RATE_PRESETS.map((r) => (
          <button key={r} type="button" className="chip small" aria-pressed={form.ratePerSecond === r} disabled={running} onClick={() => set({ ratePerSecond: r })}>
            {r.toLocaleString('en-US')}/s
          </button>
        ))}
      </div>
      {session.composer.apiKeys.length > 0 && (
        <label className="field">
          <span>API key</span>
          <select value={form.apiKey} onChange={(e) => set({ apiKey: e.target.value })} disabled={running}>
            <option value="">none</option>
            {session.composer.apiKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted small">
        {total.toLocaleString('en-US')} requests over {form.durationSeconds} simulated seconds.
      </p>
      <div className="load-actions">
        {running ? (
          <button type="button" className="secondary" onClick={() => void cancel()} disabled={!run?.runId}>
            <StopIcon /> Cancel
          </button>
        ) : (
          <button type="submit" className="primary">
            <PlayIcon /> Start simulation
          </button>
        )}
      </div>
      <div className="progress-row">
        <div className="progress" role="progressbar" aria-label="Simulation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <span className={`progress-fill status-${run?.status ?? 'idle'}`} style={{ width: `${pct}%` }} />
        </div>
        <span className="progress-text small" aria-live="polite">
          {!run
            ? 'Not started'
            : run.status === 'starting'
              ? 'Starting…'
              : run.status === 'running'
                ? `Simulating… ${pct}%`
                : run.status === 'completed'
                  ? `Done in ${realTime(run.finished?.result?.wallMs ?? 0)} of real time`
                  : run.status === 'cancelled'
                    ? `Cancelled at ${pct}%`
                    : `Failed: ${run.finished?.message ?? 'see the message above'}`}
        </span>
      </div>
    </form>
  );
}

function realTime(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}
