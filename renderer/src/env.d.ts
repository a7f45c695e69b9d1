import type { GatewayApi } from '../../engine/api/types';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly gatewayLab?: GatewayApi;
  }
}
