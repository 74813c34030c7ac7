/**
 * Money arrives from the main process as integer fen. It is formatted with integer arithmetic only:
 * a float would eventually print ¥0.30000000000000004 to an accountant.
 */

/** 123456 → "¥1,234.56"; -5 → "-¥0.05". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** 123456 → "1234.56": the plain yuan string an amount input holds and the contract accepts. */
export function fenToYuanInput(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
