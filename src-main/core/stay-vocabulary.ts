import { BOOKING_STATUS_LABELS } from './bookings/booking';
import { SERVICE_TYPE_LABELS } from './bookings/deposit';
import { INVOICE_KIND_LABELS, INVOICE_STATUS_LABELS, INVOICE_TITLE_TYPE_LABELS } from './meal-bills/invoice-request';
import { MEAL_BILL_STATUS_LABELS, MEAL_LABELS } from './meal-bills/meal-bill';

/** The words of bookings and meal bills, served with the rest of the vocabulary (`meta.vocabulary`). */
export const STAY_VOCABULARY = {
  serviceTypes: SERVICE_TYPE_LABELS,
  bookingStatuses: BOOKING_STATUS_LABELS,
  meals: MEAL_LABELS,
  mealBillStatuses: MEAL_BILL_STATUS_LABELS,
  invoiceKinds: INVOICE_KIND_LABELS,
  invoiceTitleTypes: INVOICE_TITLE_TYPE_LABELS,
  invoiceStatuses: INVOICE_STATUS_LABELS,
};
