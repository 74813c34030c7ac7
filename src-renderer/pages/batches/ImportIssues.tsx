import { Alert, Checkbox, Flex, Table, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { labelOf, useVocabulary } from '../../app/vocabulary-context';
import { Money } from '../../components/Money';
import { formatFen } from '../../components/money-format';
import './batches.css';

export type ImportResult = ChannelOutput<'batches.importFile'>;
type Issue = ImportResult['errors'][number];
type PreviewRow = NonNullable<ImportResult['rows']>[number];

const RESULT_TAGS: Record<PreviewRow['result'], { color: string; text: string }> = {
  ok: { color: 'success', text: '通过' },
  error: { color: 'error', text: '错误' },
  duplicate: { color: 'warning', text: '重复' },
};

/** 银行转账 3 笔 ¥1,234.00、微信转账 1 笔 ¥88.00 */
export function channelSummary(r: Pick<ImportResult, 'byChannel'>): string {
  return r.byChannel.map((c) => `${c.channelLabel} ${c.count} 笔 ${formatFen(c.fen)}`).join('、');
}

/**
 * What the server found in the lines: the row errors (nothing is created while one is left), the
 * payees appearing twice — in the lines or in a batch still open — to be confirmed with the check
 * box, and the count and total of what passed. `unit` is 行 for a file's spreadsheet rows, 笔 for
 * typed lines.
 */
export function ImportIssues({ result, confirmed, onConfirm, unit, source, showRows = false }: { result: ImportResult; confirmed: boolean; onConfirm: (c: boolean) => void; unit: '行' | '笔'; source: string; showRows?: boolean }) {
  const v = useVocabulary();
  const errorsShown = result.errors.length < result.errorCount ? `（列出前 ${result.errors.length} 处）` : '';
  const where = (rowNo: number) => (rowNo > 0 ? `第 ${rowNo} ${unit}` : '整个文件');
  const columns = [
    { title: unit === '行' ? '行号' : '序号', dataIndex: 'rowNo', width: 90, render: (n: number) => <span style={{ whiteSpace: 'nowrap' }}>{where(n)}</span> },
    { title: '列', dataIndex: 'field', width: 110, render: (f: string) => (f === 'row' ? '—' : labelOf(v.batchLineFields, f)) },
    { title: '问题', dataIndex: 'message' },
  ];
  const valid = result.rowCount - new Set(result.errors.filter((e) => e.rowNo > 0).map((e) => e.rowNo)).size;
  return (
    <Flex vertical gap={12} data-testid="import-result">
      {result.errorCount > 0 ? (
        <Alert
          type="error"
          showIcon
          data-testid="import-errors-summary"
          title={`${source}有 ${result.errorCount} 处错误，未创建批量任务`}
          description={`共 ${result.rowCount} ${unit}，其中 ${Math.max(valid, 0)} ${unit}通过校验。请改正以下各${unit}后重新${unit === '行' ? '选择文件' : '提交'}${errorsShown}。`}
        />
      ) : (
        <Alert
          type={result.warningCount ? 'warning' : 'success'}
          showIcon
          data-testid="import-ok-summary"
          title={`共 ${result.rowCount} ${unit}全部通过校验，合计 ${formatFen(result.totalFen)}${result.warningCount ? `；${result.warningCount} 处重复待确认` : ''}`}
          description={channelSummary(result)}
        />
      )}
      {result.errorCount > 0 ? (
        <Table<Issue>
          size="small"
          data-testid="import-errors"
          rowKey={(e) => `${e.rowNo}-${e.field}-${e.message}`}
          columns={columns}
          dataSource={result.errors}
          pagination={false}
          scroll={{ y: 320 }}
        />
      ) : null}
      {result.warningCount > 0 ? (
        <div data-testid="import-warnings">
          <Typography.Text strong>
            <Tag color="warning">重复</Tag>
            {result.warningCount} 处收款账号重复，请核对是否重复付款
          </Typography.Text>
          <Table<Issue> size="small" style={{ marginTop: 8 }} rowKey={(e) => `${e.rowNo}-${e.message}`} columns={columns.filter((c) => c.dataIndex !== 'field')} dataSource={result.warnings} pagination={false} scroll={{ y: 240 }} />
          {result.errorCount === 0 ? (
            <Checkbox checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} style={{ marginTop: 8 }} data-testid="confirm-duplicates">
              已逐一核对以上重复的收款人，确认不是重复付款，仍要创建
            </Checkbox>
          ) : null}
        </div>
      ) : null}
      {showRows && result.rows?.length ? <PreviewTable result={result} /> : null}
    </Flex>
  );
}

/** 逐行预览: every row as read, its amount as it will be paid, and its verdict; the problems of a row on hover. */
function PreviewTable({ result }: { result: ImportResult }) {
  const rows = result.rows ?? [];
  const issuesOf = (rowNo: number) => [...result.errors, ...result.warnings].filter((i) => i.rowNo === rowNo).map((i) => i.message);
  return (
    <div data-testid="import-preview">
      <Typography.Text strong>
        逐行预览（共 {result.rowCount} 行{rows.length < result.rowCount ? `，列出前 ${rows.length} 行` : ''}）
      </Typography.Text>
      <Table<PreviewRow>
        size="small"
        style={{ marginTop: 8 }}
        rowKey="rowNo"
        dataSource={rows}
        pagination={false}
        scroll={{ y: 360 }}
        rowClassName={(r) => `preview-${r.result}`}
        onRow={(r) => ({ 'data-result': r.result }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '行号', dataIndex: 'rowNo', width: 64 },
          { title: '收款人姓名', dataIndex: 'payeeName', width: 120, ellipsis: true },
          { title: '收款方式', dataIndex: 'channel', width: 100 },
          { title: '收款账号', dataIndex: 'accountMasked', width: 200, render: (a: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{a || '—'}</span> },
          { title: '开户银行', dataIndex: 'bankName', ellipsis: true, render: (b: string) => b || '—' },
          {
            title: '金额',
            key: 'amount',
            width: 120,
            align: 'right',
            render: (_, r) => (r.amountFen !== null ? <Money fen={r.amountFen} /> : <Typography.Text type="danger">{r.amountText || '—'}</Typography.Text>),
          },
          {
            title: '校验结果',
            key: 'result',
            width: 220,
            render: (_, r) => {
              const issues = issuesOf(r.rowNo);
              const tag = (
                <Tag color={RESULT_TAGS[r.result].color} style={{ marginInlineEnd: 0 }}>
                  {RESULT_TAGS[r.result].text}
                </Tag>
              );
              return issues.length ? (
                <Typography.Text ellipsis={{ tooltip: issues.join('；') }} style={{ maxWidth: 200 }} type={r.result === 'error' ? 'danger' : 'warning'}>
                  {tag} {issues.join('；')}
                </Typography.Text>
              ) : (
                tag
              );
            },
          },
        ]}
      />
    </div>
  );
}
