import { CloudDownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Form, Input, Segmented, Select, Typography, Upload } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import { asApiError } from '../../app/errors';
import type { PaymentMethod } from '../../app/api-types';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { base64OfFile } from '../../components/file-transfer';
import { shanghaiToday } from '../../components/time-format';
import type { ReconRunReport } from './recon-labels';

interface StartValues {
  channel: PaymentMethod;
  date: string;
}

/** Where the bill comes from: a file the accountant has, or the platform's bill download. */
type Source = 'file' | 'platform';

/** A bill file name often carries its day (…_20250310.csv, 2025-03-10…): offered as the date. */
function dateInName(name: string): string | null {
  const m = /(20\d{2})-?(\d{2})-?(\d{2})/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * 发起对账: the channel, the bill's day and the bill — a file the accountant downloaded from the
 * merchant console (picked or dropped), or 从平台下载账单 (the platform's bill API, checked by the
 * adapter). The day is reconciled at once; the run opens when done. A download that fails (no bill
 * yet, a file that fails its check) is said in the dialog, in the platform's terms.
 */
export function StartReconModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (run: ReconRunReport) => void }) {
  const v = useVocabulary();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<StartValues>();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [source, setSource] = useState<Source>('file');
  const [downloadError, setDownloadError] = useState<string | null>(null);

  const submit = async (values: StartValues) => {
    if (source === 'file' && !file) {
      setFileError('请选择或拖入账单文件');
      throw new Error('no file');
    }
    setDownloadError(null);
    try {
      const date = values.date.trim();
      const run =
        source === 'platform' ? await call('recon.runFromPlatform', { channel: values.channel, date }) : await call('recon.importBill', { channel: values.channel, date, fileName: file!.name, content: await base64OfFile(file!) });
      void message.success(`${v.paymentMethods[values.channel]} ${values.date} 对账完成：差异 ${run.differenceCount} 笔`);
      setFile(null);
      onDone(run);
    } catch (e) {
      const err = asApiError(e);
      // Said in the dialog, next to the choice; a lapsed session or a refusal goes the usual way.
      if (source === 'platform' && err.code !== 'UNAUTHENTICATED' && err.code !== 'FORBIDDEN') setDownloadError(err.message);
      else report(e);
      throw e;
    }
  };

  return (
    <FormModal<StartValues>
      title="发起对账"
      name="start-recon"
      open={open}
      form={form}
      onSubmit={submit}
      onCancel={() => {
        setFile(null);
        setFileError(null);
        setDownloadError(null);
        onClose();
      }}
      okText={source === 'platform' ? '下载并对账' : '导入并对账'}
      initialValues={{ channel: 'wechat', date: shanghaiToday(-1) }}
      data-testid="start-recon-form"
    >
      <Form.Item name="channel" label="支付渠道" rules={[{ required: true, message: '请选择支付渠道' }]}>
        <Select options={optionsOf(v.paymentMethods)} />
      </Form.Item>
      <Form.Item name="date" label="账单日期" rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '请填写账单日期（YYYY-MM-DD）' }]}>
        <Input placeholder="YYYY-MM-DD" />
      </Form.Item>
      <Form.Item label="账单来源">
        <Segmented<Source>
          block
          value={source}
          onChange={(s) => {
            setSource(s);
            setDownloadError(null);
          }}
          options={[
            { value: 'file', label: '导入账单文件', icon: <InboxOutlined /> },
            { value: 'platform', label: '从平台下载账单', icon: <CloudDownloadOutlined /> },
          ]}
          data-testid="bill-source"
        />
      </Form.Item>
      {source === 'platform' ? (
        <>
          <Typography.Paragraph type="secondary">
            向支付平台申请该日账单并校验（微信支付核对 SHA1 摘要，银行核对签名与汇总行），校验通过后立即对账。账单在次日上午生成，只能下载昨天及以前的账单。
          </Typography.Paragraph>
          {downloadError ? <Alert type="error" showIcon title="下载账单失败" description={downloadError} data-testid="bill-download-error" /> : null}
        </>
      ) : null}
      <Form.Item hidden={source !== 'file'} label="账单文件" required validateStatus={fileError ? 'error' : undefined} help={fileError ?? '微信支付交易账单（CSV）、支付宝业务明细（ZIP）或银行对账单'}>
        <Upload.Dragger
          accept=".csv,.zip,.txt"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(f) => {
            setFile(f);
            setFileError(null);
            const d = dateInName(f.name);
            if (d) form.setFieldValue('date', d);
            return false;
          }}
          data-testid="bill-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          {file ? (
            <Typography.Text strong data-testid="bill-file-name">
              {file.name}（{(file.size / 1024).toFixed(1)} KB）
            </Typography.Text>
          ) : (
            <p className="ant-upload-text">点击选择或将账单文件拖到此处</p>
          )}
        </Upload.Dragger>
      </Form.Item>
    </FormModal>
  );
}
