import { CloudDownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Steps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import { useReportError } from '../../app/use-report-error';
import { formatFen } from '../../components/money-format';
import { base64OfFile, saveBase64File, XLSX_MIME } from '../../components/file-transfer';
import { ImportIssues, type ImportResult } from './ImportIssues';
import type { ReadHeader } from './NewBatchPage';

const withoutExtension = (name: string) => name.replace(/\.[^.]+$/, '');

/**
 * 导入文件: drop or pick the filled template (.xlsx or .csv); the main process checks every row at
 * once (预览, nothing is written) and lists what is wrong by spreadsheet row. Only a file without
 * errors — and with its duplicates confirmed — can be created; a corrected file is simply chosen again.
 */
export function ImportPanel({ readHeader, onCreated }: { readHeader: ReadHeader; onCreated: (batchNo: string) => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'create' | 'template' | null>(null);

  const send = async (f: File, preview: boolean): Promise<ImportResult | null> => {
    let header;
    try {
      header = await readHeader(withoutExtension(f.name));
    } catch {
      void message.warning('请先填写任务信息');
      return null;
    }
    return call('batches.importFile', { ...header, fileName: f.name, content: await base64OfFile(f), preview, confirmDuplicates: preview ? false : confirmed });
  };

  const check = async (f: File) => {
    setFile(f);
    setResult(null);
    setConfirmed(false);
    setBusy('preview');
    try {
      const r = await send(f, true);
      if (r) setResult(r);
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };

  const create = async () => {
    if (!file) return;
    setBusy('create');
    try {
      const r = await send(file, false);
      if (!r) return;
      if (r.created) {
        void message.success(`已创建批量任务 ${r.created.batchNo}：${r.rowCount} 笔，合计 ${formatFen(r.totalFen)}`);
        onCreated(r.created.batchNo);
      } else {
        // Something changed since the preview (an open batch now holds a payee): show what the server says now.
        setResult(r);
        setConfirmed(false);
      }
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };

  const template = async () => {
    setBusy('template');
    try {
      const t = await call('batches.template', {});
      saveBase64File(t.fileName, XLSX_MIME, t.content);
      void message.success(`已下载 ${t.fileName}`);
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };

  const blocked = !result || result.errorCount > 0 || (result.warningCount > 0 && !confirmed);
  const step = !file ? 0 : !result || result.errorCount > 0 ? 1 : 2;

  return (
    <Flex vertical gap={16}>
      <Steps
        size="small"
        current={step}
        status={result && result.errorCount > 0 ? 'error' : 'process'}
        items={[{ title: '选择文件', content: '.xlsx 或 .csv' }, { title: '逐行校验', content: '有错误时不会创建' }, { title: '创建草稿', content: '再提交审批' }]}
        style={{ maxWidth: 760 }}
      />
      <Flex gap={16} align="stretch" wrap>
        <div style={{ flex: '1 1 420px' }}>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            showUploadList={false}
            disabled={busy !== null}
            beforeUpload={(f) => {
              void check(f);
              return false;
            }}
            data-testid="batch-file"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            {file ? (
              <Typography.Text strong data-testid="batch-file-name">
                {file.name}（{(file.size / 1024).toFixed(1)} KB）
              </Typography.Text>
            ) : (
              <p className="ant-upload-text">点击选择或将 Excel / CSV 文件拖到此处</p>
            )}
            <p className="ant-upload-hint">{busy === 'preview' ? '正在逐行校验…' : file ? '改好后再次选择或拖入文件即重新校验' : '每个文件最多 20,000 行，不超过 20 MB'}</p>
          </Upload.Dragger>
        </div>
        <Flex vertical gap={8} style={{ flex: '0 1 300px' }}>
          <Typography.Text type="secondary">
            请使用模板填写：收款人姓名、收款方式（银行转账 / 微信转账 / 支付宝转账）、收款账号、开户银行（银行转账必填）、金额（元）、备注、手机号。
          </Typography.Text>
          <Button icon={<CloudDownloadOutlined />} loading={busy === 'template'} onClick={() => void template()} data-testid="download-template">
            下载模板
          </Button>
          {file ? (
            <Button icon={<ReloadOutlined />} disabled={busy !== null} onClick={() => void check(file)}>
              重新校验
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {result ? <ImportIssues result={result} confirmed={confirmed} onConfirm={setConfirmed} unit="行" source={`「${file?.name ?? ''}」`} showRows /> : null}
      {result ? (
        <Flex justify="flex-end" gap={8}>
          <Button type="primary" disabled={blocked} loading={busy === 'create'} onClick={() => void create()} data-testid="create-from-file">
            创建批量任务（{result.rowCount} 笔）
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
