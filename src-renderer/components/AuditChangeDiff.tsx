import { Checkbox, Flex, Table, Typography } from 'antd';
import { useState } from 'react';
import type { AuditEntry } from '../app/api-types';
import { useVocabulary } from '../app/vocabulary-context';
import { diffSnapshots, type DiffRow } from './audit-diff';

/** The fields an audit entry changed, before → after; unchanged fields on request. */
export function AuditChangeDiff({ entry }: { entry: AuditEntry }) {
  const v = useVocabulary();
  const [showAll, setShowAll] = useState(false);
  const rows = diffSnapshots(entry.before, entry.after, entry.entityType, v);
  const isUpdate = entry.before !== null && entry.after !== null;
  const visible = isUpdate && !showAll ? rows.filter((r) => r.changed) : rows;
  const unchanged = rows.length - rows.filter((r) => r.changed).length;

  if (rows.length === 0) return <Typography.Text type="secondary">此操作没有记录字段内容</Typography.Text>;
  return (
    <Flex vertical gap={6} data-testid="audit-diff" style={{ maxWidth: 900 }}>
      {isUpdate && unchanged > 0 ? (
        <Checkbox checked={showAll} onChange={(e) => setShowAll(e.target.checked)}>
          显示未变化的字段（{unchanged} 项）
        </Checkbox>
      ) : null}
      <Table<DiffRow>
        size="small"
        bordered
        pagination={false}
        rowKey="key"
        dataSource={visible}
        columns={[
          { title: '字段', dataIndex: 'label', width: 180 },
          ...(entry.before !== null
            ? [{ title: '变更前', dataIndex: 'before', render: (t: string | null, r: DiffRow) => <DiffCell text={t} changed={r.changed} tone="before" /> }]
            : []),
          ...(entry.after !== null
            ? [{ title: entry.before === null ? '内容' : '变更后', dataIndex: 'after', render: (t: string | null, r: DiffRow) => <DiffCell text={t} changed={r.changed && isUpdate} tone="after" /> }]
            : []),
        ]}
      />
    </Flex>
  );
}

function DiffCell({ text, changed, tone }: { text: string | null; changed: boolean; tone: 'before' | 'after' }) {
  if (!changed) return <span style={{ wordBreak: 'break-all' }}>{text ?? '—'}</span>;
  return (
    <Typography.Text delete={tone === 'before'} type={tone === 'before' ? 'danger' : 'success'} strong={tone === 'after'} style={{ wordBreak: 'break-all' }}>
      {text ?? '—'}
    </Typography.Text>
  );
}
