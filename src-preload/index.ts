import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, PRINT_CHANNEL } from '../src-main/api/channel-names';
import type { PayApi } from '../src-main/api/contract';

/**
 * The only door between the page and the main process: one typed call per contract channel.
 * Unknown channel names are refused here, before IPC; inputs are validated again in main.
 */
const known = new Set<string>(CHANNEL_NAMES);

const pay = {
  call(channel, input) {
    if (!known.has(channel)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '未知的操作' } });
    return ipcRenderer.invoke(channel, input);
  },
} satisfies PayApi;

contextBridge.exposeInMainWorld('pay', pay);

/** Prints the current page through webContents.print (the system dialog); the renderer's printView() uses it. */
const payPrint = {
  print: (): Promise<{ ok: boolean; error?: { code: string; message: string } }> => ipcRenderer.invoke(PRINT_CHANNEL),
};
contextBridge.exposeInMainWorld('payPrint', payPrint);
