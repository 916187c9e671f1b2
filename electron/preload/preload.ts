/**
 * The sandboxed preload (bundled to dist/electron/preload.cjs): exposes window.parley and
 * nothing else. Validation happens in main; this file stays tiny and zod-free.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createParleyApi } from './api.js';

contextBridge.exposeInMainWorld('parley', createParleyApi(ipcRenderer));
