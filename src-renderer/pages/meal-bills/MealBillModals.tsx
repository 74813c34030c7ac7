import { App, Form, Input, Radio } from 'antd';
import { call } from '../../app/api';
import type { PaymentMethod } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { formatFen } from '../../components/money-format';
import { BillItemsFields, newItem, toItemInput, type BillItemFields } from './BillItemsFields';

interface CreateFields {
  stayNo: string;
  roomNo: string;
  guestName?: string;
  payerId?: string;
  items: BillItemFields[];
}

const LABELS = { stayNo: '住宿号', roomNo: '房间号', guestName: '客人姓名', payerId: '付款人' } as const;

/** 新建餐费账单 for a stay. */
export function CreateMealBillModal({ open, stayNo, onClose, onCreated }: { open: boolean; stayNo: string; onClose: () => void; onCreated: (billNo: string) => void }) {
  const [form] = Form.useForm<CreateFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const submit = async (f: CreateFields) => {
    try {
      const bill = await call('mealbills.create', { stayNo: f.stayNo.trim(), roomNo: f.roomNo.trim(), guestName: f.guestName?.trim() ?? '', payerId: f.payerId?.trim() ?? '', items: toItemInput(f.items) });
      void message.success(`账单 ${bill.billNo} 已创建，合计 ${formatFen(bill.totalFen)}`);
      onCreated(bill.billNo);
    } catch (e) {
      if (!showErrorOnForm(form, e, LABELS)) report(e);
      throw e;
    }
  };
  return (
    <FormModal<CreateFields> title="新建餐费账单" name="create-meal-bill" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="创建账单" width={760} initialValues={{ stayNo, items: [newItem()] }} data-testid="create-meal-bill-form">
      <Form.Item label="住宿号" name="stayNo" rules={[{ required: true, whitespace: true, message: '请输入住宿号' }]}>
        <Input maxLength={32} autoComplete="off" />
      </Form.Item>
      <Form.Item label="房间号" name="roomNo" rules={[{ required: true, whitespace: true, message: '请输入房间号' }]}>
        <Input maxLength={16} autoComplete="off" />
      </Form.Item>
      <Form.Item label="客人姓名" name="guestName">
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item label="付款人" name="payerId">
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <BillItemsFields />
    </FormModal>
  );
}

/** 添加明细 to an open bill. */
export function AddItemsModal({ open, billNo, version, onClose, onDone }: { open: boolean; billNo: string; version: number; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ items: BillItemFields[] }>();
  const report = useReportError();
  const submit = async (f: { items: BillItemFields[] }) => {
    try {
      await call('mealbills.addItems', { billNo, version, items: toItemInput(f.items) });
      onDone();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<{ items: BillItemFields[] }> title="添加消费明细" name="add-items" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="添加" width={760} initialValues={{ items: [newItem()] }}>
      <BillItemsFields />
    </FormModal>
  );
}

/** Choose how the guest pays before the payment order is created (one bill, or the whole stay at checkout). */
export function PayMethodModal({ open, title, okText, onClose, onPick }: { open: boolean; title: string; okText: string; onClose: () => void; onPick: (m: PaymentMethod) => Promise<void> }) {
  const v = useVocabulary();
  const [form] = Form.useForm<{ method: PaymentMethod }>();
  return (
    <FormModal<{ method: PaymentMethod }> title={title} name="pay-method" open={open} form={form} onSubmit={(f) => onPick(f.method)} onCancel={onClose} okText={okText} initialValues={{ method: 'wechat' }} data-testid="pay-method-form">
      <Form.Item label="支付方式" name="method" rules={[{ required: true, message: '请选择支付方式' }]}>
        <Radio.Group options={optionsOf(v.paymentMethods)} optionType="button" />
      </Form.Item>
    </FormModal>
  );
}
