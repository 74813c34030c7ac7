import { Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';

interface FormModalProps<T> {
  title: ReactNode;
  /** Prefixes the field ids, so they stay unique next to a page's own forms (label-for must hit this form). */
  name: string;
  open: boolean;
  form: FormInstance<T>;
  /** Resolves when done (the caller closes the modal); a rejection keeps it open for corrections. */
  onSubmit: (values: T) => Promise<void>;
  onCancel: () => void;
  okText?: string;
  cancelText?: string;
  okDanger?: boolean;
  width?: number;
  initialValues?: Partial<T>;
  children: ReactNode;
  'data-testid'?: string;
}

/**
 * A dialog whose body is one form. The whole dialog sits inside the <form>, so Enter in any field
 * submits and the OK button is the form's submit button: keyboard first, as accountants work.
 */
export function FormModal<T extends object>({ title, name, open, form, onSubmit, onCancel, okText = '确定', cancelText = '取消', okDanger, width = 520, initialValues, children, ...rest }: FormModalProps<T>) {
  const [busy, setBusy] = useState(false);
  const finish = async (values: T) => {
    setBusy(true);
    try {
      await onSubmit(values);
    } catch {
      // The caller has shown the error; keep the dialog open so the input can be corrected.
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      open={open}
      width={width}
      okText={okText}
      cancelText={cancelText}
      okButtonProps={{ htmlType: 'submit', loading: busy, danger: okDanger }}
      onCancel={onCancel}
      destroyOnHidden
      maskClosable={false}
      modalRender={(dom) => (
        <Form<T> form={form} name={name} layout="vertical" clearOnDestroy initialValues={initialValues} onFinish={finish} data-testid={rest['data-testid']}>
          {dom}
        </Form>
      )}
    >
      {children}
    </Modal>
  );
}
