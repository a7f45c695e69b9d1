/**
 * Live traffic can arrive far faster than anyone can read it: a load generator against the live
 * endpoint serves tens of thousands of requests a second, and sending every trace to the window
 * (tens of KB of JSON each) would spend the host's time serializing, grow the transport's
 * buffers without bound and freeze the renderer. The pacer sends at most `perSecond` live traces
 * a second (a burst of as many first) and, beyond that, holds only the newest one, sent when the
 * next token comes with the number of requests it stands in for. The list stays current, its
 * count stays true, and the host keeps every trace in its own bounded window for export.
 */
import { LIVE_TRACES_PER_SECOND } from '../../engine/api/calls';
import { TokenBucket } from '../../engine/services/token-bucket';
import type { Trace } from '../../engine/trace/types';

/** `unlisted`: requests served since the previous trace sent that were not sent themselves. */
export type PacedSend = (trace: Trace, unlisted: number) => void;

export class LiveTracePacer {
  private readonly bucket: TokenBucket;
  private pending: Trace | undefined;
  private unlisted = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: PacedSend,
    private readonly perSecond: number = LIVE_TRACES_PER_SECOND,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.bucket = new TokenBucket({ rate: perSecond, burst: perSecond });
  }

  offer(trace: Trace): void {
    const now = this.now();
    if (this.pending === undefined && this.bucket.take(now).allowed) {
      this.send(trace, 0);
      return;
    }
    // Over the pace: the newest trace waits; the one it replaces is counted, not sent.
    if (this.pending !== undefined) this.unlisted++;
    this.pending = trace;
    this.timer ??= setTimeout(() => this.release(), Math.ceil(((1 - this.bucket.available(now)) / this.perSecond) * 1000));
  }

  /** Send the waiting trace now (the endpoint stopped: the list should end on its last request). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const trace = this.pending;
    if (trace === undefined) return;
    const unlisted = this.unlisted;
    this.pending = undefined;
    this.unlisted = 0;
    this.send(trace, unlisted);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private release(): void {
    // The timer waited for this token; a timer that fires a hair early sends anyway.
    this.bucket.take(this.now());
    this.flush();
  }
}
