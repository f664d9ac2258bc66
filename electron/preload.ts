/**
 * The popup's preload (sandboxed, CommonJS): `window.linkwatch` and nothing else. The bridge only lets the
 * channels of `shared/ipc.ts` through; `ipcRenderer` itself never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './app-logic/bridge';

contextBridge.exposeInMainWorld('linkwatch', createBridge(ipcRenderer));
