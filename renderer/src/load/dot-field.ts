/**
 * The load canvas's dots: a replay of the engine's per-second series, one dot per request (or per
 * k requests when there are too many to draw), flowing from the client through the gateway and
 * back, on a canvas with its own requestAnimationFrame loop, outside React.
 *
 * What is simulated and what is drawn: the engine decides, for every simulated second, how many
 * requests arrived and how each ended (throttled, over quota, answered from the cache, an error,
 * or served by the backend). The replay spawns that second's dots evenly over the second and
 * gives each an outcome so that the second's counts are exact; the order of outcomes inside a
 * second, and the dots' speed, are the drawing's, not the engine's.
 *
 * Dots live in typed arrays in a ring buffer, so thousands in flight cost no allocation per
 * frame: each frame computes every dot's position from its age and outcome and fills one path
 * per colour.
 */
import type { LoadSecond } from '../../../engine/api/types';
import { FATES, type Fate, type FieldLayout, TURN, fateCounts, fieldLayout, nextFate } from './outcomes';

/** The colour of dots on their way in (the outcome is not known yet). */
const INBOUND = FATES;

export interface FieldStats {
  /** Dots on the canvas now. */
  inFlight: number;
  /** The simulated second being replayed (fractional). */
  replayed: number;
  /** Requests one dot stands for. */
  perDot: number;
}

export interface FieldColors {
  readonly fates: readonly string[];
  readonly inbound: string;
}

const CAPACITY = 1 << 16;
/** At most this many dots a second of real time; beyond it each dot stands for several requests. */
const MAX_SPAWN_PER_REAL_SECOND = 2500;
/** Pixels per second a dot travels. */
const SPEED_PX = 520;
const DOT = 2.6;

export class DotField {
  private readonly born = new Float64Array(CAPACITY);
  private readonly fate = new Uint8Array(CAPACITY);
  private readonly jitter = new Float32Array(CAPACITY);
  private head = 0;
  private tail = 0;
  private seconds: readonly LoadSecond[] = [];
  /** Per second being spawned: dots already spawned and their outcomes so far. */
  private spawnSecond = 0;
  private spawned = 0;
  private assigned = new Float64Array(FATES);
  private replayT = 0;
  private lastNow = 0;
  private raf = 0;
  private speed = 1;
  private duration = 0;
  private layout: FieldLayout;
  private ctx: CanvasRenderingContext2D;
  private colors: FieldColors;
  private dpr = 1;
  private readonly xs = new Float32Array(CAPACITY);
  private readonly ys = new Float32Array(CAPACITY);
  private readonly bucket = new Uint32Array(CAPACITY);
  readonly stats: FieldStats = { inFlight: 0, replayed: 0, perDot: 1 };
  /** Called about ten times a second with the stats (for the caption under the canvas). */
  onStats?: (stats: FieldStats) => void;
  private statsAt = 0;
  private seed = 1;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    colors: FieldColors,
  ) {
    this.ctx = canvas.getContext('2d', { alpha: true })!;
    this.colors = colors;
    this.layout = fieldLayout(canvas.clientWidth || 800, canvas.clientHeight || 260);
  }

  setColors(colors: FieldColors): void {
    this.colors = colors;
    this.draw(performance.now());
  }

  resize(width: number, height: number): void {
    this.dpr = Math.min(2, window.devicePixelRatio || 1);
    this.canvas.width = Math.round(width * this.dpr);
    this.canvas.height = Math.round(height * this.dpr);
    this.layout = fieldLayout(width, height);
    this.draw(performance.now());
  }

  /**
   * A new run: forget every dot. `speed` simulated seconds replay per real second; `expectedPeak`
   * (requests in the busiest second, from the run's spec) fixes how many requests a dot stands
   * for from the start, so the density does not change halfway.
   */
  reset(durationSeconds: number, speed: number, expectedPeak = 0): void {
    this.peak = expectedPeak;
    this.peakSeen = 0;
    this.head = this.tail = 0;
    this.seconds = [];
    this.spawnSecond = 0;
    this.spawned = 0;
    this.assigned.fill(0);
    this.replayT = 0;
    this.duration = durationSeconds;
    this.speed = speed;
    this.stats.inFlight = 0;
    this.stats.replayed = 0;
    this.stats.perDot = 1;
    this.draw(performance.now());
  }

  setSpeed(speed: number): void {
    this.speed = speed;
  }

  /** The series so far (the store's array; only new points are read). */
  setSeconds(seconds: readonly LoadSecond[]): void {
    this.seconds = seconds;
    this.start();
  }

  private start(): void {
    if (this.raf) return;
    this.lastNow = performance.now();
    this.raf = requestAnimationFrame(this.frame);
  }

  stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private readonly frame = (now: number) => {
    this.raf = 0;
    const dt = Math.min(0.1, Math.max(0, (now - this.lastNow) / 1000));
    this.lastNow = now;
    // The replay never runs ahead of the seconds the engine has finished.
    const available = this.seconds.length > 0 ? this.seconds[this.seconds.length - 1]!.second + 1 : 0;
    this.replayT = Math.min(available, this.replayT + dt * this.speed);
    this.spawnUpTo(this.replayT, now);
    this.draw(now);
    this.stats.replayed = this.replayT;
    if (now - this.statsAt > 100) {
      this.statsAt = now;
      this.onStats?.(this.stats);
    }
    if (this.head !== this.tail || this.replayT < available) this.raf = requestAnimationFrame(this.frame);
    else this.onStats?.(this.stats);
  };

  /** Spawn the dots of simulated time (from, to], each at the real time its arrival maps to. */
  private spawnUpTo(to: number, now: number): void {
    const perDot = Math.max(1, Math.ceil((this.peakRate() * this.speed) / MAX_SPAWN_PER_REAL_SECOND));
    this.stats.perDot = perDot;
    while (this.spawnSecond < this.seconds.length) {
      const point = this.seconds[this.spawnSecond]!;
      const width = this.intervalOf(this.spawnSecond);
      const n = Math.round(point.requests / perDot);
      const covered = Math.min(1, Math.max(0, (to - point.second) / width));
      const target = Math.floor(n * covered);
      for (; this.spawned < target; this.spawned++) {
        const at = point.second + ((this.spawned + 0.5) / Math.max(1, n)) * width;
        // Born in the past when the frame skipped over its arrival, so dots keep their spacing.
        const born = now - ((to - at) / this.speed) * 1000;
        this.push(born, this.nextFate(point));
      }
      if (covered < 1) break;
      this.spawnSecond++;
      this.spawned = 0;
      this.assigned.fill(0);
    }
  }

  private intervalOf(i: number): number {
    const s = this.seconds;
    if (i + 1 < s.length) return s[i + 1]!.second - s[i]!.second;
    if (i > 0) return s[i]!.second - s[i - 1]!.second;
    return 1;
  }

  /** The busiest second so far, or the rate the run was started with: it sets how many requests a dot stands for. */
  private peakRate(): number {
    for (; this.peakSeen < this.seconds.length; this.peakSeen++) this.peak = Math.max(this.peak, this.seconds[this.peakSeen]!.requests);
    return this.peak;
  }
  private peak = 0;
  private peakSeen = 0;

  private nextFate(p: LoadSecond): Fate {
    return nextFate(fateCounts(p), this.assigned, this.spawned + 1);
  }

  private push(born: number, fate: Fate): void {
    const next = (this.tail + 1) & (CAPACITY - 1);
    if (next === this.head) this.head = (this.head + 1) & (CAPACITY - 1); // full: the oldest goes
    this.born[this.tail] = born;
    this.fate[this.tail] = fate;
    // A cheap deterministic spread across the lane (no Math.random: replays look the same).
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    this.jitter[this.tail] = (this.seed / 0x7fffffff) * 2 - 1;
    this.tail = next;
  }

  private draw(now: number): void {
    const { ctx, layout: L } = this;
    const w = L.width;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, w, L.height);
    const x0 = L.x[0]!;
    const drop = L.yOut - L.yIn;
    // Count dots per colour, then fill one path per colour.
    const counts = new Uint32Array(FATES + 1);
    let live = 0;
    let newHead = this.head;
    let headDone = true;
    for (let i = this.head; i !== this.tail; i = (i + 1) & (CAPACITY - 1)) {
      const fate = this.fate[i]! as Fate;
      const reach = L.x[TURN[fate]]! - x0;
      const d = ((now - this.born[i]!) / 1000) * SPEED_PX;
      const total = 2 * reach + drop;
      if (d >= total) {
        if (headDone) newHead = (i + 1) & (CAPACITY - 1);
        continue;
      }
      headDone = false;
      if (d < 0) continue;
      const j = this.jitter[i]! * L.spread;
      let x: number;
      let y: number;
      let colour: number;
      if (d < reach) {
        x = x0 + d;
        y = L.yIn + j;
        colour = INBOUND;
      } else if (d < reach + drop) {
        x = x0 + reach + j * 0.35;
        y = L.yIn + (d - reach);
        colour = fate;
      } else {
        x = x0 + reach - (d - reach - drop);
        y = L.yOut + j;
        colour = fate;
      }
      this.xs[live] = x;
      this.ys[live] = y;
      this.bucket[live] = colour;
      counts[colour]!++;
      live++;
    }
    this.head = newHead;
    this.stats.inFlight = live;
    const palette = [...this.colors.fates, this.colors.inbound];
    for (let c = 0; c <= FATES; c++) {
      if (counts[c] === 0) continue;
      ctx.fillStyle = palette[c]!;
      ctx.beginPath();
      for (let k = 0; k < live; k++) if (this.bucket[k] === c) ctx.rect(this.xs[k]! - DOT / 2, this.ys[k]! - DOT / 2, DOT, DOT);
      ctx.fill();
    }
  }

  /** How far the replay is, 0..1 of the run. */
  get replayFraction(): number {
    return this.duration > 0 ? Math.min(1, this.replayT / this.duration) : 0;
  }
}
