import ExcelJS from 'exceljs';
import type { ChannelInput } from '../../../src-main/api/contract';

/** An .xlsx in the template's layout (header row, then the given rows), base64 as the channel takes it. */
export async function xlsx(rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('薪资表');
  ws.addRow(['工号', '姓名', '部门', '基本工资（元）', '工作量', '单价（元/单位）', '津贴（元）', '扣款（元）', '备注']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

/** An employee paid by bank card, with a phone for the payslip SMS. */
export const employeeInput = (over: Partial<ChannelInput<'salary.saveEmployee'>> = {}): ChannelInput<'salary.saveEmployee'> => ({
  employeeNo: 'E001', name: '张三', department: '厨房', payeeChannel: 'bank', account: '6222021234567890123', bankName: '中国工商银行', phone: '13812345678',
  baseSalary: '5000', rate: '35.5', ...over,
});

