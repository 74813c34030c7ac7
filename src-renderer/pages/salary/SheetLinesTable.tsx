import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { Money } from '../../components/Money';
import { fenToYuanInput } from '../../components/money-format';
import { previewLine, unscaled, type LineDraft, type LinePreview } from './salary-preview';
import { PayoutStatusTag } from './salary-tags';

type Sheet = ChannelOutput<'salary.sheet'>;
type Line = Sheet['lines'][number];
type Missing = Sheet['missing'][number];

export interface SheetRow {
  employeeId: number;
  employeeNo: string;
  name: string;
  department: string;
  saved: Line | null;
}

export const rowsOf = (s: Sheet): SheetRow[] => [
  ...s.lines.map((l) => ({ employeeId: l.employeeId, employeeNo: l.employeeNo, name: l.employeeName, department: l.department, saved: l })),
  ...s.missing.map((m: Missing) => ({ employeeId: m.employeeId, employeeNo: m.employeeNo, name: m.name, department: m.department, saved: null })),
];

/** What a row's inputs hold before any edit: the saved line, or the employee's defaults for a row not on the sheet yet. */
export function initialDraft(row: SheetRow, missing: readonly Missing[]): LineDraft {
  const l = row.saved;
  if (l) return { base: fenToYuanInput(l.baseFen), units: unscaled(l.unitsMilli, 3), rate: unscaled(l.rateCfen, 4), allowance: fenToYuanInput(l.allowanceFen), deduction: fenToYuanInput(l.deductionFen), remark: l.remark };
  const m = missing.find((x) => x.employeeId === row.employeeId);
  return { base: m ? fenToYuanInput(m.baseFen) : '', units: '', rate: m ? unscaled(m.rateCfen, 4) : '', allowance: '', deduction: '', remark: '' };
}

interface Props {
  sheet: Sheet;
  editable: boolean;
  drafts: Record<number, LineDraft>;
  saving: ReadonlySet<number>;
  onEdit: (employeeId: number, draft: LineDraft) => void;
  onSave: (row: SheetRow) => void;
  onRemove: (row: SheetRow) => void;
}

// Widths chosen so that the whole sheet fits a 1280-pixel window beside the navigation, inputs included.
const FIELDS: { key: keyof LineDraft; title: string; width: number; prefix?: string }[] = [
  { key: 'base', title: '基本工资', width: 100, prefix: '¥' },
  { key: 'units', title: '工作量', width: 68 },
  { key: 'rate', title: '单价', width: 80, prefix: '¥' },
];
const FIELDS_AFTER: typeof FIELDS = [
  { key: 'allowance', title: '津贴', width: 80, prefix: '¥' },
  { key: 'deduction', title: '扣款', width: 80, prefix: '¥' },
];

/**
 * The lines of a 薪资表: while it is a draft (or rejected) every row is a row of inputs — Enter
 * saves the row — and the computed columns and the totals follow as the accountant types.
 * Employees not on the sheet yet are listed below the saved lines (in grey) to be filled.
 */
export function SheetLinesTable({ sheet, editable, drafts, saving, onEdit, onSave, onRemove }: Props) {
  const rows = editable ? rowsOf(sheet) : rowsOf({ ...sheet, missing: [] });
  const draftOf = (r: SheetRow) => drafts[r.employeeId] ?? initialDraft(r, sheet.missing);
  const dirty = (r: SheetRow) => drafts[r.employeeId] !== undefined;
  const preview = (r: SheetRow): LinePreview =>
    !editable && r.saved
      ? { baseFen: r.saved.baseFen, workloadFen: r.saved.workloadFen, allowanceFen: r.saved.allowanceFen, grossFen: r.saved.grossFen, deductionFen: r.saved.deductionFen, netFen: r.saved.netFen, problem: null }
      : previewLine(draftOf(r));
  const counted = rows.filter((r) => r.saved || dirty(r));
  const totals = counted.reduce(
    (t, r) => {
      const p = preview(r);
      return { base: t.base + p.baseFen, workload: t.workload + p.workloadFen, allowance: t.allowance + p.allowanceFen, gross: t.gross + p.grossFen, deduction: t.deduction + p.deductionFen, net: t.net + p.netFen };
    },
    { base: 0, workload: 0, allowance: 0, gross: 0, deduction: 0, net: 0 },
  );

  const input = (f: (typeof FIELDS)[number]) => ({
    title: f.title,
    key: f.key,
    width: f.width,
    align: 'right' as const,
    render: (_: unknown, r: SheetRow) => {
      if (!editable) {
        const l = r.saved!;
        if (f.key === 'units') return unscaled(l.unitsMilli, 3);
        if (f.key === 'rate') return l.rateCfen ? `¥${unscaled(l.rateCfen, 4)}` : '—';
        return <Money fen={f.key === 'base' ? l.baseFen : f.key === 'allowance' ? l.allowanceFen : l.deductionFen} muteZero />;
      }
      const d = draftOf(r);
      return (
        <Input
          size="small"
          value={d[f.key]}
          prefix={f.prefix}
          inputMode="decimal"
          aria-label={`${r.name} ${f.title}`}
          onChange={(e) => onEdit(r.employeeId, { ...d, [f.key]: e.target.value })}
          onPressEnter={() => onSave(r)}
        />
      );
    },
  });

  const columns: TableColumnsType<SheetRow> = [
    {
      title: '员工',
      key: 'name',
      width: 110,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text type={r.saved ? undefined : 'secondary'}>{r.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{[r.employeeNo, r.department].filter(Boolean).join(' · ')}</Typography.Text>
        </Space>
      ),
    },
    ...FIELDS.map(input),
    { title: '工作量工资', key: 'workload', width: 88, align: 'right', render: (_, r) => <Money fen={preview(r).workloadFen} muteZero /> },
    ...FIELDS_AFTER.map(input),
    { title: '应发', key: 'gross', width: 92, align: 'right', render: (_, r) => <Money fen={preview(r).grossFen} /> },
    {
      title: '实发',
      key: 'net',
      width: 100,
      align: 'right',
      render: (_, r) => {
        const p = preview(r);
        return p.problem ? (
          <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="line-problem">{p.problem}</Typography.Text>
        ) : (
          <Money fen={p.netFen} strong />
        );
      },
    },
    {
      title: editable ? '状态' : '发放状态',
      key: 'state',
      width: 76,
      render: (_, r) => {
        if (editable) return dirty(r) ? <Tag color="warning">未保存</Tag> : r.saved ? <Tag color="success">已填写</Tag> : <Tag>未填写</Tag>;
        const l = r.saved!;
        return l.failReason && l.payoutStatus !== 'paid' ? <Tooltip title={l.failReason}><span><PayoutStatusTag status={l.payoutStatus} /></span></Tooltip> : <PayoutStatusTag status={l.payoutStatus} />;
      },
    },
    {
      title: '备注',
      key: 'remark',
      width: 76,
      render: (_, r) =>
        editable ? (
          <Input size="small" value={draftOf(r).remark} maxLength={128} aria-label={`${r.name} 备注`} onChange={(e) => onEdit(r.employeeId, { ...draftOf(r), remark: e.target.value })} onPressEnter={() => onSave(r)} />
        ) : (
          <Typography.Text ellipsis={{ tooltip: r.saved?.remark }}>{r.saved?.remark || '—'}</Typography.Text>
        ),
    },
    ...(editable
      ? [
          {
            title: '操作',
            key: 'ops',
            width: 56,
            render: (_: unknown, r: SheetRow) => (
              <Space size={0}>
                <Tooltip title="保存本行（Enter）">
                  <Button size="small" type="link" icon={<SaveOutlined />} aria-label={`保存 ${r.name}`} disabled={!dirty(r) || preview(r).problem !== null} loading={saving.has(r.employeeId)} onClick={() => onSave(r)} />
                </Tooltip>
                {r.saved ? (
                  <Popconfirm title={`从本月薪资表移除 ${r.name}？`} okText="移除" cancelText="取消" onConfirm={() => onRemove(r)}>
                    <Button size="small" type="link" danger icon={<DeleteOutlined />} aria-label={`移除 ${r.name}`} />
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Table<SheetRow>
      data-testid="salary-lines"
      size="small"
      rowKey="employeeId"
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ y: 'calc(100vh - 420px)' }}
      tableLayout="fixed"
      sticky
      rowClassName={(r) => (r.saved ? '' : 'salary-row-missing')}
      summary={() => (
        <Table.Summary fixed>
          <Table.Summary.Row data-testid="salary-totals">
            <Table.Summary.Cell index={0}>
              <Typography.Text strong>合计 {counted.length} 人</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right"><Money fen={totals.base} /></Table.Summary.Cell>
            <Table.Summary.Cell index={2} colSpan={2} />
            <Table.Summary.Cell index={4} align="right"><Money fen={totals.workload} /></Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right"><Money fen={totals.allowance} /></Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="right"><Money fen={totals.deduction} /></Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right"><Money fen={totals.gross} strong /></Table.Summary.Cell>
            <Table.Summary.Cell index={8} align="right"><span data-testid="total-net"><Money fen={totals.net} strong /></span></Table.Summary.Cell>
            <Table.Summary.Cell index={9} colSpan={editable ? 3 : 2} />
          </Table.Summary.Row>
        </Table.Summary>
      )}
    />
  );
}
