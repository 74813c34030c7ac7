import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * A copy of a printable sheet placed directly under <body>, shown only on paper: while it exists the
 * app's own tree (#root) is left out of printing altogether (voucher.css), so the printout has
 * exactly the sheet's pages — no blank pages for the hidden navigation — and the sheet's named page
 * size (A5 landscape for vouchers) applies, which it cannot from inside the absolutely placed layout.
 */
export function PrintOnly({ children }: { children: ReactNode }) {
  return createPortal(<div className="print-only">{children}</div>, document.body);
}
