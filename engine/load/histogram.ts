/**
 * Latency percentiles in bounded memory. Virtual-clock latencies take few distinct values (a
 * MOCK request always takes the same few milliseconds), so values are counted exactly; past
 * `maxDistinct` different values they are rounded to three significant digits, which keeps
 * the map small whatever the traffic.
 */
export class LatencyHistogram {
  private counts = new Map<number, number>();
  private n = 0;
  private sum = 0;
  private max = 0;
  private coarse = false;

  constructor(private readonly maxDistinct = 2048) {}

  add(ms: number): void {
    const v = this.coarse ? round3(ms) : ms;
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (!this.coarse && this.counts.size > this.maxDistinct) this.coarsen();
  }

  get count(): number {
    return this.n;
  }

  get mean(): number {
    return this.n ? this.sum / this.n : 0;
  }

  get maximum(): number {
    return this.max;
  }

  /** Nearest-rank percentiles (p in 0..100), e.g. [50, 95, 99]. */
  percentiles(ps: readonly number[]): number[] {
    if (this.n === 0) return ps.map(() => 0);
    const sorted = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    const out: number[] = [];
    for (const p of ps) {
      const rank = Math.max(1, Math.ceil((p / 100) * this.n));
      let seen = 0;
      let value = sorted[sorted.length - 1]![0];
      for (const [v, c] of sorted) {
        seen += c;
        if (seen >= rank) {
          value = v;
          break;
        }
      }
      out.push(value);
    }
    return out;
  }

  clear(): void {
    this.counts = new Map();
    this.n = 0;
    this.sum = 0;
    this.max = 0;
    this.coarse = false;
  }

  private coarsen(): void {
    const next = new Map<number, number>();
    for (const [v, c] of this.counts) {
      const r = round3(v);
      next.set(r, (next.get(r) ?? 0) + c);
    }
    this.counts = next;
    this.coarse = true;
  }
}

function round3(v: number): number {
  if (v === 0) return 0;
  const mag = Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 2);
  return Math.round(v / mag) * mag;
}
