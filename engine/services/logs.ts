/**
 * CloudWatch Logs as the gateway writes to it: log groups (execution logs
 * `API-Gateway-Execution-Logs_{apiId}/{stage}`, access logs wherever the stage points them),
 * each holding timestamped events. Each group keeps only its most recent events (a ring), and
 * counts everything it was given, so a long load simulation cannot fill the host's memory.
 */

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly stream: string;
}

/** Simulator limit: events kept per log group. */
export const MAX_EVENTS_PER_GROUP = 10_000;

class LogGroup {
  private readonly ring: LogEvent[] = [];
  private head = 0;
  ingested = 0;

  constructor(
    readonly name: string,
    private readonly max: number,
  ) {}

  push(e: LogEvent): void {
    this.ingested++;
    if (this.ring.length < this.max) this.ring.push(e);
    else {
      this.ring[this.head] = e;
      this.head = (this.head + 1) % this.max;
    }
  }

  events(): LogEvent[] {
    return this.ring.length < this.max ? [...this.ring] : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }
}

export class CloudWatchLogs {
  private readonly groups = new Map<string, LogGroup>();

  constructor(private readonly maxEventsPerGroup = MAX_EVENTS_PER_GROUP) {}

  put(group: string, stream: string, events: readonly { readonly timestamp: number; readonly message: string }[]): void {
    let g = this.groups.get(group);
    if (!g) {
      g = new LogGroup(group, this.maxEventsPerGroup);
      this.groups.set(group, g);
    }
    for (const e of events) g.push({ timestamp: e.timestamp, message: e.message, stream });
  }

  /** FilterLogEvents, roughly: the kept events of a group, oldest first, optionally one stream or a substring. */
  events(group: string, filter: { stream?: string; contains?: string; limit?: number } = {}): LogEvent[] {
    let list = this.groups.get(group)?.events() ?? [];
    if (filter.stream !== undefined) list = list.filter((e) => e.stream === filter.stream);
    if (filter.contains !== undefined) list = list.filter((e) => e.message.includes(filter.contains!));
    return filter.limit !== undefined ? list.slice(-filter.limit) : list;
  }

  /** Every event the group was given, including those no longer kept. */
  ingested(group: string): number {
    return this.groups.get(group)?.ingested ?? 0;
  }

  groupNames(): string[] {
    return [...this.groups.keys()].sort();
  }

  clear(): void {
    this.groups.clear();
  }
}

/** `API-Gateway-Execution-Logs_{apiId}/{stage}` (reference §7.3). */
export function executionLogGroup(apiId: string, stage: string): string {
  return `API-Gateway-Execution-Logs_${apiId}/${stage}`;
}

/** The log group named by an access-log destination ARN (`arn:aws:logs:r:a:log-group:NAME[:*]`). */
export function logGroupFromArn(arn: string): string {
  const m = /:log-group:([^:]+)/.exec(arn);
  return m ? m[1]! : arn;
}
