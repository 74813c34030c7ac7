import { AuditOutlined, CloudDownloadOutlined, FileAddOutlined, ReloadOutlined, SendOutlined, SettingOutlined, ThunderboltOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Collapse, DatePicker, Descriptions, Popconfirm, Space, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useUrlQuery } from '../../app/use-url-query';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatFen } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { formatTime, shanghaiToday } from '../../components/time-format';
import { previewLine, type LineDraft } from './salary-preview';
import { saveBase64File, XLSX_MIME } from '../../components/file-transfer';
import { SheetStatusTag } from './salary-tags';
import { SheetLinesTable, type SheetRow } from './SheetLinesTable';
import { ImportSheetModal, ReviewSheetModal, ScheduleModal } from './SheetModals';

/** The month being prepared by default: last month (its salary is paid this month). */
function lastMonth(): string {
  const [y, m] = shanghaiToday().split('-').map(Number) as [number, number];
  const i = y * 12 + m - 2;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/**
 * 薪资表 (design document 2.3.2 steps 1–3): pick the month, fill each employee's line (or import
 * the Excel template), submit it for 薪资审核 by another person, and once it is reviewed the salary
 * 批量付款 is drafted on the pay day (or now, by hand); the lines then show each employee's payout.
 */
export function SalarySheetPage() {
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const [query, setQuery] = useUrlQuery({ month: lastMonth() });
  const month = query.month;
  const sheet = useChannel('salary.sheet', { month });
  const schedule = useChannel('salary.schedule', {});
  const [drafts, setDrafts] = useState<Record<number, LineDraft>>({});
  const [saving, setSaving] = useState<ReadonlySet<number>>(new Set());
  const [dialog, setModal] = useState<'import' | 'review' | 'schedule' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const s = sheet.data;
  const status = s?.status ?? 'draft';
  const editable = can('salary:edit') && (status === 'draft' || status === 'rejected');
  const dirtyIds = Object.keys(drafts).map(Number);

  const changeMonth = (m: string) => {
    const go = () => {
      setDrafts({});
      setQuery({ month: m });
    };
    if (!dirtyIds.length) return go();
    modal.confirm({ title: `有 ${dirtyIds.length} 行未保存`, content: '切换月份将丢弃这些修改。', okText: '丢弃并切换', cancelText: '取消', onOk: go });
  };

  const saveRow = async (row: SheetRow): Promise<boolean> => {
    const d = drafts[row.employeeId];
    if (!d) return true;
    if (previewLine(d).problem) {
      void message.error(`${row.name}：${previewLine(d).problem}`);
      return false;
    }
    setSaving((x) => new Set(x).add(row.employeeId));
    try {
      await call('salary.saveLine', {
        month, employeeId: row.employeeId, baseSalary: d.base.trim() || '0', units: d.units.trim() || '0', rate: d.rate.trim() || '0', allowance: d.allowance.trim() || '0',
        deduction: d.deduction.trim() || '0', remark: d.remark, version: row.saved?.version ?? 0,
      });
      setDrafts(({ [row.employeeId]: _saved, ...rest }) => rest);
      return true;
    } catch (e) {
      report(e);
      return false;
    } finally {
      setSaving((x) => {
        const n = new Set(x);
        n.delete(row.employeeId);
        return n;
      });
    }
  };

  const saveAll = async () => {
    if (!s) return;
    const rows = [...s.lines.map((l) => ({ employeeId: l.employeeId, employeeNo: l.employeeNo, name: l.employeeName, department: l.department, saved: l })), ...s.missing.map((m) => ({ employeeId: m.employeeId, employeeNo: m.employeeNo, name: m.name, department: m.department, saved: null }))];
    for (const r of rows.filter((r) => drafts[r.employeeId])) if (!(await saveRow(r))) break;
    sheet.reload();
  };

  const act = async (name: string, work: () => Promise<string>) => {
    setBusy(name);
    try {
      void message.success(await work());
      sheet.reload();
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };

  const downloadTemplate = () =>
    act('template', async () => {
      const t = await call('salary.sheetTemplate', { month });
      saveBase64File(t.fileName, XLSX_MIME, t.content);
      return `已下载 ${t.fileName}`;
    });

  const reviewer = can('salary:review');
  const reviewBlocked = s?.filledByYou ? '您填写或提交了这张薪资表，须由另一位财务人员审核' : null;
  const canDraft = can('salary:edit') && (status === 'approved' || status === 'partially_failed');

  return (
    <>
      <PageTitle
        title="薪资表"
        sub={s ? <Space size={8}><SheetStatusTag status={status} /><span>发薪日 {s.payDate}（{s.schedule}）</span></Space> : null}
        extra={
          <>
            <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && changeMonth(d.format('YYYY-MM'))} aria-label="薪资月份" data-testid="salary-month" style={{ width: 120 }} />
            <Button icon={<ReloadOutlined />} onClick={sheet.reload} aria-label="刷新" />
            {can('settings:manage') ? <Button icon={<SettingOutlined />} onClick={() => setModal('schedule')}>发放设置</Button> : null}
          </>
        }
      />
      {sheet.error ? <LoadError error={sheet.error} onRetry={sheet.reload} /> : null}
      {s ? (
        <>
          <Descriptions size="small" column={4} style={{ marginBottom: 8 }} data-testid="sheet-summary">
            <Descriptions.Item label={editable ? '已保存人数' : '人数'}>{s.totals.lineCount}</Descriptions.Item>
            <Descriptions.Item label="应发合计"><Money fen={s.totals.grossFen} /></Descriptions.Item>
            <Descriptions.Item label="扣款合计"><Money fen={s.totals.deductionFen} /></Descriptions.Item>
            <Descriptions.Item label={editable ? '已保存实发合计' : '实发合计'}><Money fen={s.totals.netFen} strong /></Descriptions.Item>
            {s.sheet?.submittedAt ? <Descriptions.Item label="提交">{s.sheet.submittedByName} · {formatTime(s.sheet.submittedAt)}</Descriptions.Item> : null}
            {s.sheet?.reviewedAt ? (
              <Descriptions.Item label={status === 'rejected' ? '驳回' : '审核'}>
                {s.sheet.reviewedByName} · {formatTime(s.sheet.reviewedAt)}
                {s.sheet.reviewComment ? `（${s.sheet.reviewComment}）` : ''}
              </Descriptions.Item>
            ) : null}
            {s.sheet?.batchNo ? (
              <Descriptions.Item label="批量付款">
                <Link to={`/batches/${s.sheet.batchNo}`} data-testid="sheet-batch-no">{s.sheet.batchNo}</Link>
                <Typography.Text type="secondary">（{s.sheet.autoDrafted ? '发薪日自动生成' : `${s.sheet.batchDraftedByName ?? ''} 生成`}）</Typography.Text>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {status === 'rejected' && s.sheet?.reviewComment ? <Alert type="error" showIcon title={`薪资表被驳回：${s.sheet.reviewComment}`} description="修改后重新提交审核。" style={{ marginBottom: 8 }} /> : null}
          <Space wrap style={{ marginBottom: 8 }}>
            {editable ? (
              <>
                <Button type="primary" disabled={!dirtyIds.length} onClick={() => void saveAll()} data-testid="save-all">保存全部修改{dirtyIds.length ? `（${dirtyIds.length}）` : ''}</Button>
                <Button icon={<FileAddOutlined />} disabled={!s.missing.length} loading={busy === 'generate'} onClick={() => void act('generate', async () => `已按员工档案生成 ${(await call('salary.generateSheet', { month })).created} 人的薪资行`)}>
                  按员工档案生成
                </Button>
                <Button icon={<UploadOutlined />} onClick={() => setModal('import')}>导入 Excel</Button>
              </>
            ) : null}
            <Button icon={<CloudDownloadOutlined />} loading={busy === 'template'} onClick={() => void downloadTemplate()}>{editable ? '下载模板' : '导出 Excel'}</Button>
            {editable ? (
              <Popconfirm
                title="提交审核"
                description={`共 ${s.totals.lineCount} 人，实发合计 ${formatFen(s.totals.netFen)}。提交后薪资表锁定，由另一位财务人员审核。`}
                okText="提交"
                cancelText="取消"
                disabled={dirtyIds.length > 0 || !s.lines.length}
                onConfirm={() => act('submit', async () => (await call('salary.submitSheet', { month, version: s.sheet?.version }), `${month} 薪资表已提交审核`))}
              >
                <Tooltip title={dirtyIds.length ? '请先保存修改' : !s.lines.length ? '还没有员工的薪资' : undefined}>
                  <Button icon={<SendOutlined />} disabled={dirtyIds.length > 0 || !s.lines.length} loading={busy === 'submit'} data-testid="submit-sheet">提交审核</Button>
                </Tooltip>
              </Popconfirm>
            ) : null}
            {reviewer && status === 'submitted' ? (
              <Tooltip title={reviewBlocked}>
                <Button type="primary" icon={<AuditOutlined />} disabled={reviewBlocked !== null} onClick={() => setModal('review')} data-testid="review-sheet-button">审核</Button>
              </Tooltip>
            ) : null}
            {canDraft ? (
              <Popconfirm
                title="生成薪资批量付款"
                description={`按已审核的薪资表生成批量付款（发薪日 ${s.payDate} 会自动生成），生成后须审批才付款。`}
                okText="生成"
                cancelText="取消"
                onConfirm={() => act('draft', async () => `已生成批量付款 ${(await call('salary.draftBatch', { month, version: s.sheet?.version })).batchNo}`)}
              >
                <Button type="primary" icon={<ThunderboltOutlined />} loading={busy === 'draft'} data-testid="draft-batch">生成批量付款</Button>
              </Popconfirm>
            ) : null}
          </Space>
          <SheetLinesTable
            sheet={s}
            editable={editable}
            drafts={drafts}
            saving={saving}
            onEdit={(id, d) => setDrafts((x) => ({ ...x, [id]: d }))}
            onSave={(row) => void saveRow(row).then((ok) => ok && sheet.reload())}
            onRemove={(row) => void act('remove', async () => (await call('salary.removeLine', { month, employeeId: row.employeeId, version: row.saved!.version }), `已从薪资表移除 ${row.name}`))}
          />
          {s.history.length ? (
            <Collapse
              ghost
              style={{ marginTop: 8 }}
              items={[{ key: 'history', label: `操作记录（${s.history.length}）`, children: <AuditEntriesTable entries={s.history} hideEntity /> }]}
            />
          ) : null}
          <ImportSheetModal month={month} open={dialog === 'import'} onClose={() => setModal(null)} onDone={() => { setModal(null); setDrafts({}); sheet.reload(); }} />
          <ReviewSheetModal month={month} version={s.sheet?.version ?? 1} netFen={s.totals.netFen} count={s.totals.lineCount} open={dialog === 'review'} onClose={() => setModal(null)} onDone={() => { setModal(null); sheet.reload(); }} />
        </>
      ) : null}
      <ScheduleModal schedule={schedule.data} open={dialog === 'schedule'} onClose={() => setModal(null)} onDone={() => { setModal(null); schedule.reload(); sheet.reload(); }} />
    </>
  );
}
