/**
 * The preload: exposes exactly the GatewayApi functions as `window.gatewayLab`, nothing else (no
 * ipcRenderer, no Node). Runs sandboxed, so it is bundled to one CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcGatewayApi } from './preload-api';

contextBridge.exposeInMainWorld('gatewayLab', createIpcGatewayApi(ipcRenderer));
