/**
 * Above the diagram: the request on screen, and once playback reaches it, how it ended: the
 * status, and for a rejected request where it stopped and which gateway response it produced.
 */
import type { Trace } from '../../../engine/trace/types';
import { stepName } from '../diagram/step-facts';
import { STATUS_TEXT, duration, statusClass } from '../format';
import type { Timeline } from '../playback/timeline';
import { useClock, usePlaybackClock } from '../playback/use-clock';
import { TargetIcon } from '../ui/icons';

export function requestLine(trace: Trace): string {
  const ws = trace.websocket;
  if (ws && ws.eventType !== 'MANAGEMENT') {
    const who = ws.client ?? ws.connectionId;
    if (ws.eventType === 'CONNECT') return `${who} connects to ${trace.request.path}`;
    if (ws.eventType === 'DISCONNECT') return `${who} disconnects${ws.disconnect ? ` (${ws.disconnect.statusCode})` : ''}`;
    return `${who}: ${trace.request.body ?? ''}`;
  }
  const q = trace.request.rawQuery ? `?${trace.request.rawQuery}` : '';
  return `${trace.request.path}${q}`;
}

/** The verb for the header: the HTTP method, or the WebSocket event. */
export function requestVerb(trace: Trace): string {
  const ws = trace.websocket;
  return ws && ws.eventType !== 'MANAGEMENT' ? ws.eventType : trace.request.method;
}

export function StageHeader({ timeline }: { timeline: Timeline | null }) {
  const clock = usePlaybackClock();
  const stepIndex = useClock((s) => s.frame?.stepIndex ?? -1);
  const done = useClock((s) => s.frame?.done ?? false);
  if (!timeline) return <div className="stage-header" />;
  const { trace, stoppedIndex } = timeline;
  const reachedStop = stoppedIndex >= 0 && stepIndex >= stoppedIndex;
  const revealed = done || reachedStop;
  const status = trace.response.statusCode;
  const stopStep = stoppedIndex >= 0 ? trace.steps[stoppedIndex] : undefined;
  const rejected = timeline.stopTone === 'rejected';
  return (
    <div className="stage-header">
      <span className={`method m-${requestVerb(trace).toLowerCase()}`}>{requestVerb(trace)}</span>
      <code className="path" title={requestLine(trace)}>
        {requestLine(trace)}
      </code>
      <span className="arrow" aria-hidden="true">
        →
      </span>
      <span className={`status ${revealed ? statusClass(status) : 'pending'}`} aria-label="Response status">
        {revealed ? `${status} ${STATUS_TEXT[status] ?? ''}`.trim() : '…'}
      </span>
      {stopStep && revealed && (
        <span className={`stop-note ${rejected ? 'rejected' : 'shortcut'}`} role="status">
          {rejected ? 'Stopped at' : 'Answered at'} <strong>{stepName(stopStep, trace.api.type)}</strong>
          {trace.gatewayResponse && (
            <>
              {' '}
              · {trace.api.type === 'REST' ? 'gateway response' : 'error'} <code>{trace.gatewayResponse.type}</code>
            </>
          )}
        </span>
      )}
      <span className="spacer" />
      {stopStep && (
        <button
          type="button"
          className="secondary small"
          aria-label={rejected ? 'Jump to the step where the request stopped' : 'Jump to the step that answered the request'}
          onClick={() => clock.goToStep(stoppedIndex)}
        >
          <TargetIcon /> {rejected ? 'Where it stopped' : 'Where it was answered'}
        </button>
      )}
      <span className="muted small duration" title="Total latency on the simulated clock">
        {duration(trace.durationMs)}
      </span>
    </div>
  );
}
