/**
 * The renderer's GatewayApi: the preload's `window.gatewayLab` in Electron, else the WebSocket
 * bridge on the page's own origin (the web host).
 */
import { BRIDGE_PATH } from '../../../engine/api/calls';
import type { GatewayApi } from '../../../engine/api/types';
import { createWebSocketGatewayApi } from './ws-client';

export function connectGatewayApi(): GatewayApi {
  if (window.gatewayLab) return window.gatewayLab;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketGatewayApi(new WebSocket(`${scheme}//${location.host}${BRIDGE_PATH}`));
}
