import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { PaymentMethod } from '../../app/api-types';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { shanghaiToday } from '../../components/time-format';
import { downloadReport, reportPath, type ReportInput } from './report-files';

interface Values {
  period: ReportInput['period'];
  date: string;
  channel: PaymentMethod | '';
}

/**
 * 对账报表: a day, the week (Monday–Sunday) or the month containing a date, for one channel or all;
 * exported as an Excel workbook or opened as the printable report with its charts.
 */
export function ReconReportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const v = useVocabulary();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const input = async (): Promise<ReportInput> => {
    const x = await form.validateFields();
    return { period: x.period, date: x.date.trim(), ...(x.channel ? { channel: x.channel } : {}) };
  };

  return (
    <Modal
      title="对账报表"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      data-testid="recon-report-modal"
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button
            icon={<PrinterOutlined />}
            onClick={() =>
              void input().then(
                (i) => navigate(reportPath(i)),
                () => undefined,
              )
            }
          >
            打印报表
          </Button>
          <Button
            type="primary"
            icon={<FileExcelOutlined />}
            loading={busy}
            data-testid="report-export"
            onClick={async () => {
              let i: ReportInput;
              try {
                i = await input();
              } catch {
                return;
              }
              setBusy(true);
              try {
                const f = await downloadReport(i);
                void message.success(`已导出 ${f.fileName}（差异 ${f.differences} 条）`);
                onClose();
              } catch (e) {
                report(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} name="recon-report" layout="vertical" initialValues={{ period: 'daily', date: shanghaiToday(-1), channel: '' }}>
        <Form.Item name="period" label="报表周期">
          <Radio.Group optionType="button" options={optionsOf(v.reconReports)} />
        </Form.Item>
        <Form.Item name="date" label="日期" extra="周报为该日所在的周（周一至周日），月报为该日所在的月" rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '请填写日期（YYYY-MM-DD）' }]}>
          <Input placeholder="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="channel" label="支付渠道">
          <Select options={[{ value: '', label: '全部渠道' }, ...optionsOf(v.paymentMethods)]} />
        </Form.Item>
        <Typography.Text type="secondary">报表按各渠道每日的当前对账结果汇总；未完成对账的日期会在报表中列出。</Typography.Text>
      </Form>
    </Modal>
  );
}
