/**
 * Open connections of one WebSocket API, on the engine clock. A connection is `connecting`
 * while `$connect` runs (posting to it then fails with 410 Gone, as in AWS), `open` once the
 * handshake succeeded, and `closed` after either side closed it; a closed id never comes back.
 *
 * Limits (reference B4): 10 minutes without a message closes a connection, and so does its
 * 2-hour maximum duration, whatever the traffic.
 */
import type { ConnectionInfo } from './context';

export const IDLE_TIMEOUT_MS = 10 * 60_000;
export const MAX_CONNECTION_DURATION_MS = 2 * 3_600_000;
/** A message over 128 KB, or a frame over 32 KB, closes the connection with 1009. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
export const MAX_FRAME_BYTES = 32 * 1024;

/** A frame API Gateway sends to a client. */
export interface DeliveredFrame {
  readonly connectionId: string;
  readonly data: string;
  readonly binary: boolean;
  /** When the frame reaches the client (engine clock). */
  readonly at: number;
  /** routeResponse: a two-way route's reply; postToConnection: the @connections API; error: an error frame. */
  readonly source: 'routeResponse' | 'postToConnection' | 'error';
}

/**
 * The client end of a connection, as a host sees it: the scenario's simulated clients record
 * frames; the live endpoint writes them to a real socket.
 */
export interface ConnectionSink {
  deliver(frame: DeliveredFrame): void;
  /** API Gateway closes the connection: a close frame with this code and reason. */
  close(code: number, reason: string, at: number): void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Connection {
  info: ConnectionInfo;
  readonly stage: string;
  /** A name for people: the scenario's client name, or the live endpoint's peer address. */
  readonly label?: string;
  lastActiveAt: number;
  state: ConnectionState;
  readonly sink: ConnectionSink;
  closed?: { readonly at: number; readonly code: number; readonly reason: string; readonly by: 'client' | 'gateway' };
}

/** What the UI shows about a connection (and GetConnection returns). */
export interface ConnectionSnapshot {
  readonly connectionId: string;
  readonly label?: string;
  readonly stage: string;
  readonly state: ConnectionState;
  readonly connectedAt: number;
  readonly lastActiveAt: number;
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly principalId?: string;
  /** When the gateway will close it: the idle timeout or the 2-hour limit, whichever comes first. */
  readonly closesAt?: { readonly at: number; readonly why: 'idle' | 'maxDuration' };
  readonly closed?: Connection['closed'];
}

/**
 * Closed connections kept for the UI and GetConnection's 410. Older ones are forgotten (an
 * unknown id answers the same 410), so a long-running live endpoint does not grow.
 */
export const KEEP_CLOSED_CONNECTIONS = 200;

export class ConnectionRegistry {
  private readonly byId = new Map<string, Connection>();

  add(c: Connection): void {
    this.byId.set(c.info.connectionId, c);
  }

  /** Forget the oldest closed connections beyond KEEP_CLOSED_CONNECTIONS. */
  prune(): void {
    let closed = 0;
    for (const c of this.byId.values()) if (c.state === 'closed') closed++;
    for (const [id, c] of this.byId) {
      if (closed <= KEEP_CLOSED_CONNECTIONS) break;
      if (c.state !== 'closed') continue;
      this.byId.delete(id);
      closed--;
    }
  }

  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  /** Forget a connection whose handshake was rejected: it never existed for clients. */
  remove(id: string): void {
    this.byId.delete(id);
  }

  open(): Connection[] {
    return [...this.byId.values()].filter((c) => c.state === 'open');
  }

  all(): Connection[] {
    return [...this.byId.values()];
  }

  /** When the gateway closes this connection on its own. */
  static deadline(c: Connection): { at: number; why: 'idle' | 'maxDuration' } {
    const idle = c.lastActiveAt + IDLE_TIMEOUT_MS;
    const max = c.info.connectedAt + MAX_CONNECTION_DURATION_MS;
    return idle <= max ? { at: idle, why: 'idle' } : { at: max, why: 'maxDuration' };
  }

  /** Open connections whose deadline has passed at `now`, earliest first. */
  due(now: number): { connection: Connection; at: number; why: 'idle' | 'maxDuration' }[] {
    return this.open()
      .map((connection) => ({ connection, ...ConnectionRegistry.deadline(connection) }))
      .filter((d) => d.at <= now)
      .sort((a, b) => a.at - b.at);
  }

  snapshot(c: Connection): ConnectionSnapshot {
    return {
      connectionId: c.info.connectionId,
      ...(c.label !== undefined ? { label: c.label } : {}),
      stage: c.stage,
      state: c.state,
      connectedAt: c.info.connectedAt,
      lastActiveAt: c.lastActiveAt,
      sourceIp: c.info.sourceIp,
      ...(c.info.userAgent !== undefined ? { userAgent: c.info.userAgent } : {}),
      ...(c.info.authorizer?.principalId !== undefined ? { principalId: c.info.authorizer.principalId } : {}),
      ...(c.state === 'open' ? { closesAt: ConnectionRegistry.deadline(c) } : {}),
      ...(c.closed ? { closed: c.closed } : {}),
    };
  }
}

/** The disconnectReason API Gateway reports for a close code when the client gave none. (?) except 1000 and 1005, which are recorded. */
export function defaultCloseReason(code: number): string {
  switch (code) {
    case 1000:
      return 'Connection Closed Normally';
    case 1001:
      return 'Going away';
    case 1005:
      return 'Client-side close frame status not set';
    case 1006:
      return 'Connection was closed abnormally';
    case 1009:
      return 'Message too big';
    default:
      return '';
  }
}
