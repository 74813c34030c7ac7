import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { formatFen } from '../../components/money-format';
import { ImportIssues, type ImportResult } from './ImportIssues';
import type { ReadHeader } from './NewBatchPage';

interface Line {
  key: number;
  payeeName: string;
  channel: string;
  account: string;
  bankName: string;
  amount: string;
  remark: string;
}

/** Typed lines are for a handful of payees; anything longer goes through the file. */
const MAX_TYPED_LINES = 50;
let nextKey = 1;
const emptyLine = (): Line => ({ key: nextKey++, payeeName: '', channel: 'bank', account: '', bankName: '', amount: '', remark: '' });
const isBlank = (l: Line) => !l.payeeName.trim() && !l.account.trim() && !l.amount.trim() && !l.bankName.trim() && !l.remark.trim();

/** "5000", "5,000.50" → the sum in fen for the running total; null while a line is not a plain amount yet (the server has the last word). */
function fenOf(amount: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(amount.trim().replace(/,/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/**
 * 手工录入: a few payees typed in a grid. The lines are checked by the main process exactly like a
 * file's rows; the problems come back by line and are shown on the line, and nothing is created
 * while one is left (or while duplicates are not confirmed).
 */
export function ManualLinesPanel({ readHeader, onCreated }: { readHeader: ReadHeader; onCreated: (batchNo: string) => void }) {
  const v = useVocabulary();
  const { message } = App.useApp();
  const report = useReportError();
  const [lines, setLines] = useState<Line[]>(() => [emptyLine(), emptyLine(), emptyLine()]);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [checkedKeys, setCheckedKeys] = useState<number[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);

  const edit = (key: number, patch: Partial<Line>) => {
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
    // What the server said about this line no longer holds.
    setCheckedKeys((ks) => ks.filter((k) => k !== key));
    setConfirmed(false);
  };
  const issuesOf = (key: number) => {
    const i = checkedKeys.indexOf(key);
    if (i < 0 || !result) return null;
    return { errors: result.errors.filter((e) => e.rowNo === i + 1), warnings: result.warnings.filter((e) => e.rowNo === i + 1) };
  };

  const create = async () => {
    const filled = lines.filter((l) => !isBlank(l));
    if (!filled.length) {
      void message.warning('请至少填写一笔收款明细');
      return;
    }
    let header;
    try {
      header = await readHeader();
    } catch {
      void message.warning('请先填写任务信息');
      return;
    }
    // Blank lines are dropped first so that 第 N 笔 in the answer is the N-th line on screen.
    setLines(filled);
    setBusy(true);
    try {
      const r = await call('batches.create', {
        ...header,
        confirmDuplicates: confirmed,
        lines: filled.map((l) => ({ payeeName: l.payeeName, channel: l.channel, account: l.account, bankName: l.bankName || undefined, amount: l.amount, remark: l.remark || undefined })),
      });
      if (r.created) {
        void message.success(`已创建批量任务 ${r.created.batchNo}：${r.rowCount} 笔，合计 ${formatFen(r.totalFen)}`);
        onCreated(r.created.batchNo);
        return;
      }
      setResult(r);
      setCheckedKeys(filled.map((l) => l.key));
      if (r.errorCount) setConfirmed(false);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  const typedTotal = lines.reduce((s, l) => s + (fenOf(l.amount) ?? 0), 0);
  const cell = (key: number, field: keyof Omit<Line, 'key' | 'channel'>, placeholder: string, width?: number) => {
    const line = lines.find((l) => l.key === key)!;
    const issues = issuesOf(key);
    const bad = issues?.errors.some((e) => e.field === field);
    return <Input size="small" value={line[field]} placeholder={placeholder} status={bad ? 'error' : undefined} style={width ? { width } : undefined} onChange={(e) => edit(key, { [field]: e.target.value })} aria-label={placeholder} />;
  };

  const columns: TableColumnsType<Line> = [
    { title: '序号', key: 'no', width: 56, render: (_, _l, i) => i + 1 },
    { title: '收款人姓名', key: 'payeeName', width: 130, render: (_, l) => cell(l.key, 'payeeName', '收款人姓名') },
    {
      title: '收款方式',
      key: 'channel',
      width: 130,
      render: (_, l) => <Select size="small" value={l.channel} options={optionsOf(v.payeeChannels)} onChange={(c: string) => edit(l.key, { channel: c })} style={{ width: 116 }} aria-label="收款方式" />,
    },
    { title: '收款账号', key: 'account', width: 200, render: (_, l) => cell(l.key, 'account', l.channel === 'wechat' ? '微信 OpenID' : l.channel === 'alipay' ? '支付宝账号' : '银行账号') },
    { title: '开户银行', key: 'bankName', width: 140, render: (_, l) => (l.channel === 'bank' ? cell(l.key, 'bankName', '开户银行') : <Typography.Text type="secondary">—</Typography.Text>) },
    { title: '金额（元）', key: 'amount', width: 120, render: (_, l) => cell(l.key, 'amount', '金额（元）') },
    { title: '备注', key: 'remark', width: 120, render: (_, l) => cell(l.key, 'remark', '备注') },
    {
      title: '校验结果',
      key: 'check',
      width: 260,
      render: (_, l) => {
        const issues = issuesOf(l.key);
        if (!issues) return <Typography.Text type="secondary">—</Typography.Text>;
        if (!issues.errors.length && !issues.warnings.length) return <Typography.Text type="success">通过</Typography.Text>;
        return (
          <Flex vertical>
            {issues.errors.map((e) => (
              <Typography.Text key={`${e.field}${e.message}`} type="danger" style={{ fontSize: 12 }}>
                {e.message}
              </Typography.Text>
            ))}
            {issues.warnings.map((e) => (
              <Typography.Text key={e.message} type="warning" style={{ fontSize: 12 }}>
                {e.message}
              </Typography.Text>
            ))}
          </Flex>
        );
      },
    },
    {
      title: '',
      key: 'delete',
      width: 44,
      render: (_, l) => (
        <Button size="small" type="text" icon={<DeleteOutlined />} aria-label="删除该行" disabled={lines.length === 1} onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))} />
      ),
    },
  ];

  return (
    <Flex vertical gap={12} data-testid="manual-lines">
      <Typography.Text type="secondary">适合少量收款人（最多 {MAX_TYPED_LINES} 笔）；空行会被忽略。更多收款人请使用「导入文件」。</Typography.Text>
      <Table<Line> size="small" rowKey="key" columns={columns} dataSource={lines} pagination={false} scroll={{ x: 1100 }} />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Button icon={<PlusOutlined />} disabled={lines.length >= MAX_TYPED_LINES} onClick={() => setLines((ls) => [...ls, emptyLine()])}>
          添加一行
        </Button>
        <Typography.Text>
          已填写 {lines.filter((l) => !isBlank(l)).length} 笔，合计 <Typography.Text strong>{formatFen(typedTotal)}</Typography.Text>
        </Typography.Text>
      </Flex>
      {result ? <ImportIssues result={result} confirmed={confirmed} onConfirm={setConfirmed} unit="笔" source="收款明细" /> : null}
      <Flex justify="flex-end">
        <Button type="primary" loading={busy} disabled={!!result && !result.errorCount && result.warningCount > 0 && !confirmed && checkedKeys.length === lines.length} onClick={() => void create()} data-testid="create-from-lines">
          校验并创建
        </Button>
      </Flex>
    </Flex>
  );
}
