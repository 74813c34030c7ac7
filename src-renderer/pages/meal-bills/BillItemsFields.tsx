import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { shanghaiToday } from '../../components/time-format';

export interface BillItemFields {
  serviceDate: string;
  meal: 'breakfast' | 'lunch' | 'dinner' | 'snack';
  description: string;
  quantity: number;
  unitPrice: string;
}

export const newItem = (): BillItemFields => ({ serviceDate: shanghaiToday(), meal: 'dinner', description: '', quantity: 1, unitPrice: '' });

/** The item rows of a bill form (日期, 餐次, 项目, 数量, 单价); line amounts and totals are computed by the main process. */
export function BillItemsFields() {
  const v = useVocabulary();
  return (
    <Form.List name="items">
      {(fields, { add, remove }) => (
        <>
          {fields.map(({ key, name }) => (
            <Space key={key} align="start" wrap data-testid="bill-item-row">
              <Form.Item name={[name, 'serviceDate']} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式 YYYY-MM-DD' }]}>
                <Input placeholder="日期" style={{ width: 120 }} aria-label="消费日期" />
              </Form.Item>
              <Form.Item name={[name, 'meal']} rules={[{ required: true, message: '请选择餐次' }]}>
                <Select options={optionsOf(v.meals)} style={{ width: 90 }} aria-label="餐次" />
              </Form.Item>
              <Form.Item name={[name, 'description']} rules={[{ required: true, whitespace: true, message: '请填写项目' }]}>
                <Input placeholder="项目，如 中式套餐" maxLength={128} style={{ width: 180 }} aria-label="项目" />
              </Form.Item>
              <Form.Item name={[name, 'quantity']} rules={[{ required: true, message: '请填写数量' }]}>
                <InputNumber min={1} max={999} precision={0} style={{ width: 80 }} aria-label="数量" />
              </Form.Item>
              <Form.Item name={[name, 'unitPrice']} rules={[{ required: true, whitespace: true, message: '请填写单价' }]}>
                <Input prefix="¥" placeholder="单价" inputMode="decimal" style={{ width: 120 }} aria-label="单价" />
              </Form.Item>
              <Button icon={<DeleteOutlined />} aria-label="删除此行" onClick={() => remove(name)} disabled={fields.length === 1} />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newItem())} block>
            添加一行
          </Button>
        </>
      )}
    </Form.List>
  );
}

export const toItemInput = (items: BillItemFields[]) =>
  items.map((i) => ({ serviceDate: i.serviceDate.trim(), meal: i.meal, description: i.description.trim(), quantity: i.quantity, unitPrice: i.unitPrice.trim() }));
