import { Form, Input, InputNumber, Select } from 'antd';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useVocabulary } from '../../app/vocabulary-context';
import { auditActionLabel } from '../../components/audit-labels';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import { FilterForm } from '../../components/FilterForm';

export interface AuditFilterValue {
  from: string;
  to: string;
  actorId: number;
  action: string;
  entityId: string;
}

interface FilterFields {
  period: DayRange | null;
  actorId: number | null;
  action: string | null;
  entityId: string;
}

/**
 * Filters of 审计日志. The operator is picked from the user list when the viewer may read it
 * (an auditor usually may); otherwise the operator's user ID is typed.
 */
export function AuditFilters({ value, onSearch }: { value: AuditFilterValue; onSearch: (v: AuditFilterValue) => void }) {
  const { can } = useAuth();
  const vocabulary = useVocabulary();
  const users = useChannel('users.list', can('user:view') ? {} : null);
  const actions = useChannel('audit.actions', {});

  const apply = (f: FilterFields) =>
    onSearch({
      from: f.period?.from ?? '',
      to: f.period?.to ?? '',
      actorId: f.actorId ?? 0,
      action: f.action ?? '',
      entityId: (f.entityId ?? '').trim(),
    });

  return (
    <FilterForm<FilterFields>
      name="audit-filter"
      onApply={apply}
      data-testid="audit-filters"
      initialValues={{
        period: value.from && value.to ? { from: value.from, to: value.to } : null,
        actorId: value.actorId || null,
        action: value.action || null,
        entityId: value.entityId,
      }}
      empty={{ period: null, actorId: null, action: null, entityId: '' }}
    >
      <Form.Item label="时间" name="period">
        <DateRangeFilter />
      </Form.Item>
      <Form.Item label="操作人" name="actorId">
        {can('user:view') ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部"
            loading={users.loading}
            style={{ width: 180 }}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
          />
        ) : (
          <InputNumber min={1} precision={0} placeholder="操作人用户ID" style={{ width: 150 }} />
        )}
      </Form.Item>
      <Form.Item label="操作" name="action">
        <Select
          allowClear
          placeholder="全部"
          loading={actions.loading}
          style={{ width: 170 }}
          options={(actions.data ?? []).map((a) => ({ value: a, label: auditActionLabel(vocabulary, a) }))}
        />
      </Form.Item>
      <Form.Item label="对象编号" name="entityId">
        <Input allowClear placeholder="如订单号" style={{ width: 210 }} />
      </Form.Item>
    </FilterForm>
  );
}
