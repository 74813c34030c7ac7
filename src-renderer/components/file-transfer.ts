/**
 * Files between the renderer and the main process, which both hosts carry as base64 in JSON: a file
 * the main process built (templates, reports) saved through the browser's download (Electron's save
 * dialog in the desktop app), and a file the user picked read as base64 for an import channel.
 */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function saveBase64File(fileName: string, mimeType: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has taken the blob by the next task; keep the URL a little longer for slow hosts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function base64OfFile(file: Blob): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('读取文件失败'));
    reader.readAsDataURL(file);
  });
  return url.slice(url.indexOf(',') + 1);
}
