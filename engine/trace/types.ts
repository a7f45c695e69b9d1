/**
 * The trace: the contract between the engine and every UI. Plain, versioned JSON, the same in
 * every host. The renderer animates a trace; it never computes gateway behaviour itself.
 */
import type { HttpRequest, HttpResponse } from '../core/http';

export const TRACE_VERSION = 1;

export type GatewayType = 'REST' | 'HTTP' | 'WEBSOCKET';

/** The boxes of the lifecycle diagram; lanes of a comparison align on them. */
export type Phase =
  | 'connection'
  | 'routing'
  | 'throttling'
  | 'authorization'
  | 'apiKey'
  | 'validation'
  | 'cache'
  | 'integrationRequest'
  | 'integration'
  | 'integrationResponse'
  | 'methodResponse'
  | 'gatewayResponse';

export const PHASES: readonly Phase[] = [
  'connection',
  'routing',
  'throttling',
  'authorization',
  'apiKey',
  'validation',
  'cache',
  'integrationRequest',
  'integration',
  'integrationResponse',
  'methodResponse',
  'gatewayResponse',
];

/**
 * continue: the step did its work and the request goes on.
 * respond:  the step ended the request (a rejection, or a cache hit).
 * skip:     the step does not apply to this request (no authorizer, no validator...).
 * error:    the simulator itself failed in this step (a bug, reported rather than hidden).
 */
export type Outcome = 'continue' | 'respond' | 'skip' | 'error';

/**
 * What a step saw and produced. Keys depend on the gateway type; for REST they are
 * `methodRequest`, `integrationRequest`, `endpointResponse`, `methodResponse`, `context`.
 */
export type Snapshot = Readonly<Record<string, unknown>>;

/** For the code that builds a trace or a step field by field before handing it out as readonly. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface TraceStep {
  /** Step id, e.g. `route`, `authorizer`, `validate`, `integration`. */
  readonly step: string;
  readonly phase: Phase;
  readonly outcome: Outcome;
  /** Start time, epoch ms (virtual in simulations, real on the live endpoint). */
  readonly at: number;
  readonly durationMs: number;
  /** One plain-language line: what happened here and why. */
  readonly summary: string;
  readonly before?: Snapshot;
  readonly after?: Snapshot;
  /** The AWS execution-log messages this step wrote (without timestamps). */
  readonly log: readonly string[];
  /** Step-specific facts for the inspector: the template and its output, the bucket's tokens, the policy... */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface Trace {
  readonly version: typeof TRACE_VERSION;
  /** The request id (`x-amzn-RequestId`). */
  readonly id: string;
  readonly api: { readonly type: GatewayType; readonly id: string; readonly name: string; readonly stage: string };
  readonly request: HttpRequest;
  readonly response: HttpResponse;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly steps: readonly TraceStep[];
  /** The step that ended the request early (its outcome is `respond`), if any. */
  readonly stoppedAt?: string;
  /** The gateway response that produced the reply, when the gateway answered on its own. */
  readonly gatewayResponse?: { readonly type: string; readonly statusCode: number };
  /**
   * Execution log in the console Test format (`Thu Aug 31 01:07:25 UTC 2017 : message`).
   * HTTP APIs have none in AWS; there this holds the simulator's own step summaries, labelled so.
   */
  readonly executionLog: readonly string[];
  /**
   * The execution log as CloudWatch Logs holds it (`(requestId) message`), filtered by the
   * method's logging level and data trace; present only when logging is on for the method.
   */
  readonly cloudWatchLog?: readonly string[];
  /** The access-log line, when the stage has an access-log format. */
  readonly accessLog?: string;
  /** Lambda function logs (CloudWatch Logs lines: START / console output / END / REPORT). */
  readonly functionLogs?: readonly string[];
  /**
   * WebSocket APIs: the connection event this trace records. `request` is then the upgrade
   * request (CONNECT), the client's message (method `MESSAGE`, body = the frame) or the close
   * (method `DISCONNECT`); `response` is the handshake answer (101 or the refusal) or the frame
   * sent back to the sender (200, body '' when nothing was sent).
   */
  readonly websocket?: WebSocketTraceInfo;
  /**
   * The scenario's simulated services just before and just after this request (a scenario
   * session's requests only): what the request changed in them. The UI's services panel shows it.
   */
  readonly services?: { readonly before: ServicesSnapshot; readonly after: ServicesSnapshot };
}

/**
 * The state of simulated services, by kind then by name: `{ lambda: { getPet: {...} },
 * usagePlans: { gold: {...} }, tables: { pets: [...] } }`. Values are plain JSON. Kinds with
 * nothing in them are left out, so an API without services has `{}`.
 */
export type ServicesSnapshot = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** A frame API Gateway sent to a client. */
export interface WebSocketFrame {
  readonly at: number;
  readonly connectionId: string;
  /** The client's name (scenario client, or live peer). */
  readonly client?: string;
  readonly data: string;
  readonly binary: boolean;
  /** routeResponse: a two-way route's reply; postToConnection: the @connections API; error: an error frame. */
  readonly source: 'routeResponse' | 'postToConnection' | 'error';
}

export interface WebSocketTraceInfo {
  readonly eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT' | 'MANAGEMENT';
  readonly connectionId: string;
  readonly client?: string;
  readonly routeKey?: string;
  readonly messageId?: string;
  /** Every frame this event made API Gateway send, in time order: the reply, an error frame, a broadcast's fan-out. */
  readonly frames: readonly WebSocketFrame[];
  /** Connections this event closed (a 1009, a DeleteConnection). */
  readonly closed?: readonly { readonly connectionId: string; readonly client?: string; readonly code: number; readonly reason: string; readonly at: number }[];
  /** DISCONNECT: the close code and reason the $disconnect event carries. */
  readonly disconnect?: { readonly statusCode: number; readonly reason: string };
  /**
   * Calls the integration's code made to simulated services, in time order: every
   * PostToConnection of a broadcast (410 Gone ones included), every table read and write.
   */
  readonly serviceCalls?: readonly WebSocketServiceCall[];
}

export interface WebSocketServiceCall {
  readonly at: number;
  /** `execute-api` (@connections) or `dynamodb`. */
  readonly service: string;
  /** PostToConnection, GetConnection, DeleteConnection; document.put, Scan... */
  readonly method: string;
  /** The connection id or table name the call was about. */
  readonly target?: string;
  /** The scenario client (or live peer) that connection id belongs to. */
  readonly client?: string;
  /** 200 / 204, or the error's status (410 GoneException...). */
  readonly statusCode: number;
  readonly error?: string;
  readonly elapsedMs: number;
}
