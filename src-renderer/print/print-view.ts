declare global {
  interface Window {
    /** Set by the Electron preload: the system print dialog through webContents.print. */
    payPrint?: { print(): Promise<{ ok: boolean; error?: { code: string; message: string } }> };
  }
}

/**
 * Prints the page: in the desktop app through the host (webContents.print, which a sandboxed
 * renderer's window.print cannot reach reliably), in a browser served by the web host with
 * window.print(). Rejects with the host's message when printing failed (not when cancelled).
 */
export async function printView(): Promise<void> {
  if (window.payPrint) {
    const r = await window.payPrint.print();
    if (!r.ok) throw new Error(r.error?.message ?? '打印失败');
    return;
  }
  window.print();
}
