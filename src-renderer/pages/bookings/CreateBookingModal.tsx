import { App, DatePicker, Form, Input, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { call } from '../../app/api';
import type { PaymentMethod } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { formatFen } from '../../components/money-format';

type ServiceType = 'room' | 'private_dining' | 'meeting_room';

interface Fields {
  guestName: string;
  payerId: string;
  serviceType: ServiceType;
  appointment: Dayjs;
  total: string;
  method: PaymentMethod;
  note?: string;
}

const FIELD_LABELS = { guestName: '客人姓名', payerId: '付款人', serviceType: '服务类型', appointmentAt: '预约时间', total: '总价', method: '支付方式', note: '备注' } as const;

/** The deposit as the main process computes it (same ratio table, same rounding), while the total is typed. */
function useDepositQuote(serviceType: ServiceType | undefined, total: string | undefined) {
  const [quote, setQuote] = useState<{ key: string; text: string } | null>(null);
  const key = `${serviceType ?? ''}|${total ?? ''}`;
  useEffect(() => {
    if (!serviceType || !total?.trim()) return;
    let live = true;
    call('bookings.quoteDeposit', { serviceType, total: total.trim() }).then(
      (q) => live && setQuote({ key, text: `${formatFen(q.depositFen)}（${q.ratioBp / 100}%）` }),
      () => live && setQuote({ key, text: '—' }),
    );
    return () => {
      live = false;
    };
  }, [serviceType, total, key]);
  return quote?.key === key ? quote.text : '—';
}

/** 新建预定: the booking and its deposit order are created together; the cashier then collects the deposit. */
export function CreateBookingModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (depositOrderNo: string) => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<Fields>();
  const { message } = App.useApp();
  const report = useReportError();
  const deposit = useDepositQuote(Form.useWatch('serviceType', form), Form.useWatch('total', form));

  const submit = async (f: Fields) => {
    try {
      const r = await call('bookings.create', {
        guestName: f.guestName.trim(),
        payerId: f.payerId.trim(),
        serviceType: f.serviceType,
        appointmentAt: f.appointment.valueOf(),
        total: f.total.trim(),
        method: f.method,
        note: f.note?.trim() ?? '',
      });
      void message.success(`预定 ${r.booking.bookingNo} 已创建，定金 ${formatFen(r.booking.depositFen)}`);
      onCreated(r.depositOrder.orderNo);
    } catch (e) {
      if (!showErrorOnForm(form, e, FIELD_LABELS)) report(e);
      throw e;
    }
  };

  return (
    <FormModal<Fields> title="新建客户预定" name="create-booking" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="创建预定并生成定金订单" width={560} initialValues={{ serviceType: 'room', method: 'wechat' }} data-testid="create-booking-form">
      <Form.Item label="客人姓名" name="guestName" rules={[{ required: true, whitespace: true, message: '请输入客人姓名' }]}>
        <Input maxLength={64} autoFocus autoComplete="off" />
      </Form.Item>
      <Form.Item label="付款人" name="payerId" rules={[{ required: true, whitespace: true, message: '请输入付款人编号' }]} extra="客户编号或小程序 OpenID">
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item label="服务类型" name="serviceType" rules={[{ required: true, message: '请选择服务类型' }]}>
        <Select options={optionsOf(v.serviceTypes)} />
      </Form.Item>
      <Form.Item label="预约时间" name="appointment" rules={[{ required: true, message: '请选择预约时间' }]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label="总价" name="total" rules={[{ required: true, whitespace: true, message: '请输入总价' }]} extra="单位：元，最多两位小数">
        <Input prefix="¥" suffix="元" inputMode="decimal" autoComplete="off" />
      </Form.Item>
      <Form.Item label="应付定金">
        <Typography.Text strong data-testid="deposit-quote">
          {deposit}
        </Typography.Text>
      </Form.Item>
      <Form.Item label="支付方式" name="method" rules={[{ required: true, message: '请选择支付方式' }]}>
        <Radio.Group options={optionsOf(v.paymentMethods)} optionType="button" />
      </Form.Item>
      <Form.Item label="备注" name="note">
        <Input.TextArea maxLength={256} autoSize={{ minRows: 1, maxRows: 3 }} />
      </Form.Item>
    </FormModal>
  );
}
