import { SearchOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select } from 'antd';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import type { TransactionQuery } from './transactions-query';

interface FilterFields {
  transactionNo: string;
  orderNo: string;
  statuses: string[];
  types: string[];
  methods: string[];
  created: DayRange | null;
}

type FilterPatch = Pick<TransactionQuery, 'transactionNo' | 'orderNo' | 'statuses' | 'types' | 'methods' | 'from' | 'to'>;

export function TransactionFilters({ query, onSearch }: { query: TransactionQuery; onSearch: (patch: FilterPatch) => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<FilterFields>();
  const initial: FilterFields = {
    transactionNo: query.transactionNo,
    orderNo: query.orderNo,
    statuses: query.statuses,
    types: query.types,
    methods: query.methods,
    created: query.from && query.to ? { from: query.from, to: query.to } : null,
  };
  const apply = (f: FilterFields) =>
    onSearch({
      transactionNo: (f.transactionNo ?? '').trim(),
      orderNo: (f.orderNo ?? '').trim(),
      statuses: f.statuses ?? [],
      types: f.types ?? [],
      methods: f.methods ?? [],
      from: f.created?.from ?? '',
      to: f.created?.to ?? '',
    });
  const reset = () => {
    const empty: FilterFields = { transactionNo: '', orderNo: '', statuses: [], types: [], methods: [], created: null };
    form.setFieldsValue(empty);
    apply(empty);
  };
  const selectStyle = { width: 180 };
  return (
    <Form<FilterFields> form={form} name="transaction-filter" layout="inline" initialValues={initial} onFinish={apply} data-testid="transaction-filters" style={{ rowGap: 8, marginBottom: 12 }}>
      <Form.Item label="交易号" name="transactionNo">
        <Input allowClear placeholder="T 开头的 21 位编号" style={{ width: 210 }} />
      </Form.Item>
      <Form.Item label="订单号" name="orderNo">
        <Input allowClear placeholder="P 开头的 21 位编号" style={{ width: 210 }} />
      </Form.Item>
      <Form.Item label="状态" name="statuses">
        <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(v.transactionStatuses)} style={selectStyle} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item label="类型" name="types">
        <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(v.transactionTypes)} style={{ width: 150 }} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item label="支付方式" name="methods">
        <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(v.paymentMethods)} style={selectStyle} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item label="交易时间" name="created">
        <DateRangeFilter />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          查询
        </Button>
      </Form.Item>
      <Form.Item>
        <Button onClick={reset}>重置</Button>
      </Form.Item>
    </Form>
  );
}
