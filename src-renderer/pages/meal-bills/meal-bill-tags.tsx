import { Space, Tag } from 'antd';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useVocabulary } from '../../app/vocabulary-context';

export type MealBillView = ChannelOutput<'mealbills.list'>['items'][number];

const COLORS: Record<MealBillView['status'], string> = { open: 'warning', paid: 'success', cancelled: 'default' };

/** The bill's status, and 逾期 in red when its 24-hour payment limit has passed unpaid. */
export function MealBillStatusTags({ bill }: { bill: Pick<MealBillView, 'status' | 'overdue'> }) {
  const v = useVocabulary();
  return (
    <Space size={4}>
      <Tag color={COLORS[bill.status]} data-status={bill.status}>
        {v.mealBillStatuses[bill.status]}
      </Tag>
      {bill.overdue ? (
        <Tag color="error" data-testid="overdue-tag">
          逾期
        </Tag>
      ) : null}
    </Space>
  );
}
