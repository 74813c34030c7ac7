import { SearchOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select } from 'antd';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import type { OrderQuery } from './orders-query';

interface FilterFields {
  orderNo: string;
  payerId: string;
  statuses: string[];
  methods: string[];
  types: string[];
  created: DayRange | null;
}

type FilterPatch = Pick<OrderQuery, 'orderNo' | 'payerId' | 'statuses' | 'methods' | 'types' | 'from' | 'to'>;

/** The search bar of 支付订单. Applied with 查询 or Enter, so typing an order number costs no round trips. */
export function OrderFilters({ query, onSearch }: { query: OrderQuery; onSearch: (patch: FilterPatch) => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<FilterFields>();
  const initial: FilterFields = {
    orderNo: query.orderNo,
    payerId: query.payerId,
    statuses: query.statuses,
    methods: query.methods,
    types: query.types,
    created: query.from && query.to ? { from: query.from, to: query.to } : null,
  };

  const apply = (f: FilterFields) =>
    onSearch({
      orderNo: (f.orderNo ?? '').trim(),
      payerId: (f.payerId ?? '').trim(),
      statuses: f.statuses ?? [],
      methods: f.methods ?? [],
      types: f.types ?? [],
      from: f.created?.from ?? '',
      to: f.created?.to ?? '',
    });

  const reset = () => {
    const empty: FilterFields = { orderNo: '', payerId: '', statuses: [], methods: [], types: [], created: null };
    form.setFieldsValue(empty);
    apply(empty);
  };

  const selectStyle = { width: 200 };
  return (
    <Form<FilterFields> form={form} name="order-filter" layout="inline" initialValues={initial} onFinish={apply} data-testid="order-filters" style={{ rowGap: 8, marginBottom: 12 }}>
      <Form.Item label="订单号" name="orderNo">
        <Input allowClear placeholder="P 开头的 21 位编号" style={{ width: 220 }} />
      </Form.Item>
      <Form.Item label="付款人" name="payerId">
        <Input allowClear placeholder="付款人编号" style={{ width: 150 }} />
      </Form.Item>
      <Form.Item label="状态" name="statuses">
        <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(v.orderStatuses)} style={selectStyle} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item label="支付方式" name="methods">
        <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(v.paymentMethods)} style={selectStyle} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item label="订单类型" name="types">
        <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(v.orderTypes)} style={selectStyle} maxTagCount="responsive" />
      </Form.Item>
      <Form.Item label="创建时间" name="created">
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
