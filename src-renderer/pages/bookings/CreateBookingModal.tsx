import { App, DatePicker, Form, Input, Radio, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { call } from '../../app/api';
import type { PaymentMethod, ServiceType } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { formatFen } from '../../components/money-format';
import { formatRatio } from '../../components/ratio-format';
import { formatMinute, shanghaiInstant, shanghaiToday, shanghaiWallClock } from '../../components/time-format';

interface Fields {
  guestName: string;
  payerId: string;
  serviceType: ServiceType;
  /** Shanghai wall-clock time, whatever zone the browser's dayjs thinks it is in (see appointmentInstant). */
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
      (q) => live && setQuote({ key, text: `${formatFen(q.depositFen)}（${formatRatio(q.ratioBp)}）` }),
      () => live && setQuote({ key, text: '—' }),
    );
    return () => {
      live = false;
    };
  }, [serviceType, total, key]);
  return quote?.key === key ? quote.text : '—';
}

/**
 * The picker works in the browser's zone: a front desk in Shanghai picks "19:30" and a laptop set to
 * New York hands back 19:30 New York time. Appointments are Shanghai times, so the picked fields are
 * read as a Shanghai wall clock (fixed UTC+8, as time-format does) and never the picker's own instant.
 */
function appointmentInstant(d: Dayjs): number {
  return shanghaiInstant({ year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute() });
}

/** Now on Shanghai clocks, as a picker value (fields = Shanghai's, like the values it returns). */
function shanghaiNowInPicker(): Dayjs {
  const w = shanghaiWallClock(Date.now());
  return dayjs(new Date(w.year, w.month - 1, w.day, w.hour, w.minute));
}

/** 新建预定: the booking and its deposit order are created together; the cashier then collects the deposit. */
export function CreateBookingModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (bookingNo: string) => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<Fields>();
  const { message } = App.useApp();
  const report = useReportError();
  const deposit = useDepositQuote(Form.useWatch('serviceType', form), Form.useWatch('total', form));
  const appointment = Form.useWatch('appointment', form);

  const submit = async (f: Fields) => {
    try {
      const r = await call('bookings.create', {
        guestName: f.guestName.trim(),
        payerId: f.payerId.trim(),
        serviceType: f.serviceType,
        appointmentAt: appointmentInstant(f.appointment),
        total: f.total.trim(),
        method: f.method,
        note: f.note?.trim() ?? '',
      });
      void message.success(`预定 ${r.booking.bookingNo} 已创建，定金 ${formatFen(r.booking.depositFen)}`);
      onCreated(r.booking.bookingNo);
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
      <Form.Item
        label="预约时间"
        name="appointment"
        rules={[{ required: true, message: '请选择预约时间' }]}
        extra={appointment ? <span data-testid="appointment-shanghai">上海时间 {formatMinute(appointmentInstant(appointment))}（UTC+8）</span> : '按上海时间（UTC+8）填写，与本机时区无关'}
      >
        {/* No "此刻" button: it would fill in the browser's own clock, not Shanghai's. */}
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          showNow={false}
          defaultPickerValue={shanghaiNowInPicker()}
          disabledDate={(d) => d.format('YYYY-MM-DD') < shanghaiToday()}
          style={{ width: '100%' }}
        />
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
