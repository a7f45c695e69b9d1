/**
 * The names of GatewayApi's calls and events as values, for the code that has to enumerate them
 * (the preload, the WebSocket client, the IPC and bridge servers). No Node or DOM code here: the
 * renderer and the preload import it too.
 */
import type { GatewayCallName, GatewayEventName } from './types';

const CALLS = {
  hostInfo: true,
  listScenarios: true,
  openScenarioDialog: true,
  openScenarioText: true,
  openSession: true,
  resetSession: true,
  closeSession: true,
  runStep: true,
  sendRequest: true,
  compare: true,
  estimateCost: true,
  listTemplates: true,
  renderTemplate: true,
  startLoad: true,
  cancelLoad: true,
  startLive: true,
  stopLive: true,
  exportTrace: true,
} as const satisfies Record<GatewayCallName, true>;

const EVENTS = {
  trace: true,
  scenarioAdded: true,
  loadProgress: true,
  loadFinished: true,
  live: true,
  connection: true,
} as const satisfies Record<GatewayEventName, true>;

export const GATEWAY_API_CALLS = Object.keys(CALLS) as GatewayCallName[];
export const GATEWAY_API_EVENTS = Object.keys(EVENTS) as GatewayEventName[];

export function isGatewayCall(name: unknown): name is GatewayCallName {
  return typeof name === 'string' && Object.hasOwn(CALLS, name);
}

export function isGatewayEvent(name: unknown): name is GatewayEventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}

/** Electron IPC channel of a call; events all travel on EVENT_CHANNEL. */
export const ipcChannel = (call: GatewayCallName): string => `gateway-lab:${call}`;
export const EVENT_CHANNEL = 'gateway-lab:event';

/** Path of the WebSocket bridge on the web host. */
export const BRIDGE_PATH = '/api';

/** How many live-endpoint traces a second a client is sent (`trace` events, origin `live`). */
export const LIVE_TRACES_PER_SECOND = 20;

/** WebSocket bridge messages (JSON text frames). */
export type BridgeRequest = { readonly id: number; readonly call: GatewayCallName; readonly args: readonly unknown[] };
export type BridgeMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'event'; readonly event: GatewayEventName; readonly payload: unknown };
