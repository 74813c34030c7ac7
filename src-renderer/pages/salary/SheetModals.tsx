import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Space, Switch, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useReportError } from '../../app/use-report-error';
import { FormModal } from '../../components/FormModal';
import { formatFen } from '../../components/money-format';
import { base64OfFile } from '../../components/file-transfer';

type ImportResult = ChannelOutput<'salary.importSheet'>;
type RowError = ImportResult['errors'][number];

/**
 * 导入薪资表: pick or drop the filled template; every row is checked by the main process and, if
 * any is wrong, nothing is saved and the problems are listed by row to be fixed in the file.
 */
export function ImportSheetModal({ month, open, onClose, onDone }: { month: string; open: boolean; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ fileName: string; rows: RowError[] } | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setErrors(null);
    try {
      const r = await call('salary.importSheet', { month, fileName: file.name, content: await base64OfFile(file) });
      if (!r.ok) {
        setErrors({ fileName: file.name, rows: r.errors });
        return;
      }
      void message.success(`已导入 ${month} 薪资表：新增 ${r.created} 人，更新 ${r.updated} 人，实发合计 ${formatFen(r.totals?.netFen ?? 0)}`);
      onDone();
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`导入 ${month} 薪资表`} open={open} onCancel={() => { setErrors(null); onClose(); }} footer={null} width={720} destroyOnHidden data-testid="import-sheet">
      <Typography.Paragraph type="secondary">
        请先下载模板（已列出在职员工），填写后上传。文件中每位员工一行；工号、姓名须与员工档案一致。有任何一行不正确时不会保存任何数据。
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".xlsx"
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void upload(file);
          return false;
        }}
        data-testid="import-drop"
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">{busy ? '正在检查…' : '点击选择或拖入 Excel 文件（.xlsx）'}</p>
      </Upload.Dragger>
      {errors ? (
        <div style={{ marginTop: 16 }} data-testid="import-errors">
          <Alert type="error" showIcon title={`「${errors.fileName}」有 ${errors.rows.length} 处问题，未导入任何数据`} description="请在文件中改正以下各行后重新上传。" style={{ marginBottom: 8 }} />
          <Table<RowError>
            size="small"
            rowKey={(e) => `${e.row}-${e.message}`}
            pagination={false}
            scroll={{ y: 260 }}
            dataSource={errors.rows}
            columns={[
              { title: '行号', dataIndex: 'row', width: 64, render: (r: number) => (r ? `第 ${r} 行` : '—') },
              { title: '工号', dataIndex: 'employeeNo', width: 90, render: (n: string) => n || '—' },
              { title: '问题', dataIndex: 'message' },
            ]}
          />
        </div>
      ) : null}
    </Modal>
  );
}

interface ReviewValues {
  decision: 'approve' | 'reject';
  comment?: string;
}

/** 薪资审核: approve (a note is optional) or reject with the reason the makers will read. */
export function ReviewSheetModal({ month, version, netFen, count, open, onClose, onDone }: { month: string; version: number; netFen: number; count: number; open: boolean; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form) ?? 'approve';
  const submit = async (v: ReviewValues) => {
    try {
      await call('salary.reviewSheet', { month, version, decision: v.decision, comment: v.comment ?? '' });
      void message.success(v.decision === 'approve' ? `${month} 薪资表已审核通过` : `${month} 薪资表已驳回`);
      onDone();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<ReviewValues> title={`审核 ${month} 薪资表`} name="review-sheet" open={open} form={form} onSubmit={submit} onCancel={onClose} okText={decision === 'approve' ? '审核通过' : '驳回'} okDanger={decision === 'reject'} initialValues={{ decision: 'approve' }} data-testid="review-sheet">
      <Typography.Paragraph>
        共 {count} 人，实发合计 <Typography.Text strong>{formatFen(netFen)}</Typography.Text>。审核通过后，发薪日将自动生成薪资批量付款（仍需审批后才付款）。
      </Typography.Paragraph>
      <Form.Item name="decision" label="审核意见">
        <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'approve', label: '通过' }, { value: 'reject', label: '驳回' }]} />
      </Form.Item>
      <Form.Item name="comment" label={decision === 'reject' ? '驳回原因' : '备注（可选）'} rules={decision === 'reject' ? [{ required: true, whitespace: true, message: '请填写驳回原因' }] : []}>
        <Input.TextArea rows={3} maxLength={256} showCount />
      </Form.Item>
    </FormModal>
  );
}

type Schedule = ChannelOutput<'salary.schedule'>;
interface ScheduleValues {
  payMonth: 'next' | 'same';
  payDay: number;
  autoDraft: boolean;
  supplierAutoDraft: boolean;
  leadDays: number;
}

/** 发放设置: the pay day, and whether the salary and supplier-terms batches are drafted automatically. */
export function ScheduleModal({ schedule, open, onClose, onDone }: { schedule: Schedule | undefined; open: boolean; onClose: () => void; onDone: () => void }) {
  const report = useReportError();
  const [form] = Form.useForm<ScheduleValues>();
  if (!schedule) return null;
  const submit = async (v: ScheduleValues) => {
    try {
      await call('salary.updateSchedule', {
        salary: { payDay: v.payDay, payMonth: v.payMonth, autoDraft: v.autoDraft }, supplierTerms: { autoDraft: v.supplierAutoDraft, leadDays: v.leadDays }, version: schedule.version,
      });
      onDone();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<ScheduleValues>
      title="发放设置"
      name="payout-schedule"
      open={open}
      form={form}
      onSubmit={submit}
      onCancel={onClose}
      okText="保存"
      initialValues={{ ...schedule.salary, supplierAutoDraft: schedule.supplierTerms.autoDraft, leadDays: schedule.supplierTerms.leadDays }}
      data-testid="schedule-form"
    >
      <Typography.Title level={5}>员工工资</Typography.Title>
      <Space align="start">
        <Form.Item name="payMonth" label="发放月份">
          <Radio.Group options={[{ value: 'next', label: '次月发放上月工资' }, { value: 'same', label: '当月发放' }]} />
        </Form.Item>
        <Form.Item name="payDay" label="发薪日" rules={[{ required: true, message: '请填写发薪日' }]} extra="短月取月末">
          <InputNumber min={1} max={31} precision={0} addonAfter="日" style={{ width: 110 }} />
        </Form.Item>
      </Space>
      <Form.Item name="autoDraft" label="发薪日自动生成薪资批量付款" valuePropName="checked" extra="仅对已审核的薪资表；批量付款仍需审批后才付款">
        <Switch />
      </Form.Item>
      <Typography.Title level={5}>供应商付款</Typography.Title>
      <Space align="start">
        <Form.Item name="supplierAutoDraft" label="每日按合同付款周期生成批量付款" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="leadDays" label="提前付款天数" extra="0 表示当天到期及已逾期">
          <InputNumber min={0} max={31} precision={0} addonAfter="天" style={{ width: 110 }} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}
