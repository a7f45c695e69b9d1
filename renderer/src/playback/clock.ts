/**
 * The one playback clock. It owns t and advances it with requestAnimationFrame while playing;
 * React never re-renders per frame. Per-frame subscribers (the packet, the scrubber) write to
 * the DOM directly; components that show the current step subscribe through useClock with a
 * selector, and re-render only when that value changes (the step index, playing, speed).
 */
import { type Frame, clampTime, frameAt, stepTarget } from './frame';
import type { Timeline } from './timeline';

export interface ClockState {
  readonly timeline: Timeline | null;
  readonly frame: Frame | null;
  readonly playing: boolean;
  readonly speed: number;
}

type Listener = (state: ClockState) => void;

export interface FrameScheduler {
  request(cb: (now: number) => void): number;
  cancel(id: number): void;
  now(): number;
}

// Typed here rather than through the DOM library: unit tests run this module in Node.
const frames = globalThis as unknown as { requestAnimationFrame(cb: (now: number) => void): number; cancelAnimationFrame(id: number): void };

const browserScheduler: FrameScheduler = {
  request: (cb) => frames.requestAnimationFrame(cb),
  cancel: (id) => frames.cancelAnimationFrame(id),
  now: () => performance.now(),
};

export const SPEEDS = [0.5, 1, 2, 4] as const;

export class PlaybackClock {
  private state: ClockState = { timeline: null, frame: null, playing: false, speed: 1 };
  private readonly listeners = new Set<Listener>();
  private raf: number | null = null;
  private last = 0;

  constructor(private readonly scheduler: FrameScheduler = browserScheduler) {}

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ClockState => this.state;

  /** Show a new trace; from its start, playing if `autoplay`. */
  load(timeline: Timeline | null, options: { autoplay?: boolean; at?: number } = {}): void {
    this.stopLoop();
    const t = timeline ? clampTime(timeline, options.at ?? 0) : 0;
    this.set({ timeline, frame: timeline ? frameAt(timeline, t) : null, playing: false });
    if (options.autoplay && timeline) this.play();
  }

  play(): void {
    const { timeline, frame } = this.state;
    if (!timeline || this.state.playing) return;
    // Play from the start again once the end is reached.
    if (frame && frame.t >= timeline.duration) this.set({ frame: frameAt(timeline, 0) });
    this.set({ playing: true });
    this.last = this.scheduler.now();
    this.raf = this.scheduler.request(this.tick);
  }

  pause(): void {
    this.stopLoop();
    if (this.state.playing) this.set({ playing: false });
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  seek(t: number): void {
    const { timeline } = this.state;
    if (!timeline) return;
    this.set({ frame: frameAt(timeline, clampTime(timeline, t)) });
  }

  /** Pause and move to the next (1) or previous (-1) step's box. */
  step(direction: 1 | -1): void {
    const { timeline, frame } = this.state;
    if (!timeline || !frame) return;
    this.pause();
    this.seek(stepTarget(timeline, frame.t, direction));
  }

  /** Pause on step i (index into trace.steps). */
  goToStep(i: number): void {
    const { timeline } = this.state;
    if (!timeline) return;
    this.pause();
    const seg = timeline.segments[Math.max(0, Math.min(i, timeline.segments.length - 1))];
    if (seg) this.seek(seg.arrive);
  }

  home(): void {
    this.pause();
    this.seek(0);
  }

  end(): void {
    this.pause();
    const { timeline } = this.state;
    if (timeline) this.seek(timeline.duration);
  }

  setSpeed(speed: number): void {
    this.set({ speed });
  }

  private tick = (now: number): void => {
    const { timeline, frame, speed } = this.state;
    if (!timeline || !frame || !this.state.playing) return;
    // A long gap (a hidden tab) does not jump the packet: at most 100 ms of playback per frame.
    const dt = Math.min(100, Math.max(0, now - this.last)) * speed;
    this.last = now;
    const t = Math.min(timeline.duration, frame.t + dt);
    const atEnd = t >= timeline.duration;
    this.set({ frame: frameAt(timeline, t), ...(atEnd ? { playing: false } : {}) });
    this.raf = atEnd ? null : this.scheduler.request(this.tick);
  };

  private stopLoop(): void {
    if (this.raf !== null) this.scheduler.cancel(this.raf);
    this.raf = null;
  }

  private set(patch: Partial<ClockState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
}
