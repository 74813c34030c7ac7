import { Alert, Skeleton } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

interface Drawn {
  content: string;
  dataUrl: string | null;
  error: string | null;
}

/**
 * A QR code drawn in the renderer from the platform's content (WeChat `code_url`, Alipay `qr_code`,
 * or a payment page link), as a data: image so the strict CSP needs nothing more than `img-src data:`.
 * Drawn at twice the shown size so it stays sharp on high-DPI screens and in print; long content uses
 * the lowest error correction so its modules stay large enough to scan off a screen.
 */
export function PaymentQr({ content, size = 220, 'data-testid': testId }: { content: string; size?: number; 'data-testid'?: string }) {
  const [drawn, setDrawn] = useState<Drawn | null>(null);

  useEffect(() => {
    let live = true;
    QRCode.toDataURL(content, { width: size * 2, margin: 1, errorCorrectionLevel: content.length > 300 ? 'L' : 'M' }).then(
      (dataUrl) => live && setDrawn({ content, dataUrl, error: null }),
      (e: unknown) => live && setDrawn({ content, dataUrl: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [content, size]);

  const current = drawn?.content === content ? drawn : null;
  if (current?.error) return <Alert type="error" showIcon title="二维码生成失败" description={current.error} />;
  return (
    <div data-testid={testId} data-content={content} style={{ width: size + 18, padding: 8, border: '1px solid #f0f0f0', borderRadius: 8, background: '#fff', lineHeight: 0 }}>
      {current?.dataUrl ? (
        <img src={current.dataUrl} width={size} height={size} alt="收款二维码" style={{ display: 'block' }} />
      ) : (
        <Skeleton.Image active style={{ width: size, height: size }} />
      )}
    </div>
  );
}
