/**
 * A platform bill that cannot be reconciled as it is: wrong format or encoding, a bad cell, a summary
 * that disagrees with the lines, a file cut short. The message is for the accountant (and for the
 * `npm run recon` operator): file name, line number when there is one, and what is wrong, in Chinese.
 */
export class BillFormatError extends Error {
  override name = 'BillFormatError';

  constructor(
    readonly fileName: string,
    /** 1-based line in the (inner) file; null when the problem is the file as a whole. */
    readonly line: number | null,
    /** The reason alone, without file and line. */
    readonly reason: string,
  ) {
    super(line === null ? `账单文件 ${fileName}：${reason}` : `账单文件 ${fileName} 第 ${line} 行：${reason}`);
  }
}
