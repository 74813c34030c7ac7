import { Table, Tag, Typography, type TablePaginationConfig } from 'antd';
import { Link } from 'react-router-dom';
import type { AuditEntry } from '../app/api-types';
import { useAuth } from '../app/auth-context';
import { useVocabulary } from '../app/vocabulary-context';
import { AuditChangeDiff } from './AuditChangeDiff';
import { auditActionLabel, auditEntityLabel, auditEntityName } from './audit-labels';
import { diffSnapshots } from './audit-diff';
import { formatTime } from './time-format';

interface AuditEntriesTableProps {
  entries: AuditEntry[];
  loading?: boolean;
  pagination?: false | TablePaginationConfig;
  /** Hide the 对象 column where every entry is about the same object (an order's history). */
  hideEntity?: boolean;
  'data-testid'?: string;
}

const ACTION_COLORS: Record<string, string> = {
  'order.create': 'blue',
  'order.pay': 'green',
  'order.cancel': 'orange',
  'order.expire': 'default',
  'booking.create': 'blue',
  'booking.confirm': 'green',
  'booking.cancel': 'orange',
  'booking.expire': 'default',
  'access.denied': 'red',
  'settings.update': 'purple',
};

/** Audit records with their changes one click away (expand a row to see the field-by-field diff). */
export function AuditEntriesTable({ entries, loading, pagination = false, hideEntity, ...rest }: AuditEntriesTableProps) {
  const v = useVocabulary();
  const { can } = useAuth();

  const summary = (e: AuditEntry) => {
    if (e.before === null && e.after === null) return <Typography.Text type="secondary">—</Typography.Text>;
    if (e.before === null) return '新建记录';
    const changed = diffSnapshots(e.before, e.after, e.entityType, v).filter((r) => r.changed);
    return changed.length === 0 ? '无字段变化' : `${changed.length} 项变更：${changed.map((r) => r.label).slice(0, 3).join('、')}${changed.length > 3 ? '…' : ''}`;
  };

  return (
    <Table<AuditEntry>
      data-testid={rest['data-testid']}
      size="small"
      rowKey="seq"
      loading={loading}
      dataSource={entries}
      pagination={pagination}
      locale={{ emptyText: '没有审计记录' }}
      expandable={{
        expandRowByClick: true,
        rowExpandable: (e) => e.before !== null || e.after !== null,
        expandedRowRender: (e) => <AuditChangeDiff entry={e} />,
      }}
      columns={[
        { title: '序号', dataIndex: 'seq', width: 80, align: 'right' },
        { title: '时间', dataIndex: 'at', width: 170, render: (at: number) => formatTime(at) },
        { title: '操作人', dataIndex: 'actorName', width: 120, render: (name: string, e) => (e.actorId === null ? <Tag>{name}</Tag> : name) },
        {
          title: '操作',
          dataIndex: 'action',
          width: 150,
          render: (a: string) => <Tag color={ACTION_COLORS[a] ?? 'default'}>{auditActionLabel(v, a)}</Tag>,
        },
        ...(hideEntity
          ? []
          : [
              {
                title: '对象',
                key: 'entity',
                width: 260,
                render: (_: unknown, e: AuditEntry) => (
                  <span>
                    <Typography.Text type="secondary">{auditEntityLabel(v, e.entityType)} </Typography.Text>
                    {e.entityType === 'order' && can('order:view') ? (
                      <Link to={`/orders/${e.entityId}`} onClick={(ev) => ev.stopPropagation()}>
                        {e.entityId}
                      </Link>
                    ) : (
                      auditEntityName(e.entityType, e.entityId)
                    )}
                  </span>
                ),
              },
            ]),
        { title: '变更', key: 'change', ellipsis: true, render: (_: unknown, e) => summary(e) },
      ]}
    />
  );
}
