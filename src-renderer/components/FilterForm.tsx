import { SearchOutlined } from '@ant-design/icons';
import { Button, Form } from 'antd';
import type { ReactNode } from 'react';

interface FilterFormProps<T> {
  /** Prefixes the field ids (label-for must hit this form). */
  name: string;
  initialValues: T;
  /** The fields as 重置 leaves them. */
  empty: T;
  onApply: (fields: T) => void;
  children: ReactNode;
  'data-testid'?: string;
}

/**
 * The search bar above a list: inline fields, applied with 查询 or Enter (so typing costs no round
 * trips); 重置 empties the fields and applies that at once.
 */
export function FilterForm<T extends object>({ name, initialValues, empty, onApply, children, ...rest }: FilterFormProps<T>) {
  const [form] = Form.useForm<T>();
  const reset = () => {
    form.setFieldsValue(empty);
    onApply(empty);
  };
  return (
    <Form<T> form={form} name={name} layout="inline" initialValues={initialValues} onFinish={onApply} data-testid={rest['data-testid']} style={{ rowGap: 8, marginBottom: 12 }}>
      {children}
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
