import { AuditOutlined, FileTextOutlined, SettingOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { DashboardOutlined, ExceptionOutlined, QrcodeOutlined } from '@ant-design/icons';
import { ApiOutlined } from '@ant-design/icons';
import { AlertOutlined, MessageOutlined, ProfileOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { CalendarOutlined, CoffeeOutlined } from '@ant-design/icons';
import { UsersPage } from '../pages/admin/UsersPage';
import { ApprovalDetailPage } from '../pages/approvals/ApprovalDetailPage';
import { ApprovalNavBadge } from '../pages/approvals/ApprovalNavBadge';
import { ApprovalsPage } from '../pages/approvals/ApprovalsPage';
import { BookingDetailPage } from '../pages/bookings/BookingDetailPage';
import { BookingsPage } from '../pages/bookings/BookingsPage';
import { MealBillDetailPage } from '../pages/meal-bills/MealBillDetailPage';
import { MealBillsPage } from '../pages/meal-bills/MealBillsPage';
import { MealBillReceipt } from '../print/MealBillReceipt';
import { PaymentVoucher } from '../print/PaymentVoucher';
import { ReconReport } from '../print/ReconReport';
import { PayablesPage } from '../pages/suppliers/PayablesPage';
import { SupplierPaymentDetailPage } from '../pages/suppliers/SupplierPaymentDetailPage';
import { SupplierPaymentsPage } from '../pages/suppliers/SupplierPaymentsPage';
import { SuppliersPage } from '../pages/suppliers/SuppliersPage';
import { VouchersPage } from '../pages/suppliers/VouchersPage';
import { EmployeesPage } from '../pages/salary/EmployeesPage';
import { PayslipsPage } from '../pages/salary/PayslipsPage';
import { SalarySheetPage } from '../pages/salary/SalarySheetPage';
import { BatchDetailPage } from '../pages/batches/BatchDetailPage';
import { BatchesPage } from '../pages/batches/BatchesPage';
import { NewBatchPage } from '../pages/batches/NewBatchPage';
import { BatchReport } from '../print/BatchReport';
import { OrderedListOutlined } from '@ant-design/icons';
import { IdcardOutlined, ProjectOutlined, TableOutlined } from '@ant-design/icons';
import { AccountBookOutlined, BankOutlined, FileDoneOutlined, ShopOutlined } from '@ant-design/icons';
import { AuditPage } from '../pages/audit/AuditPage';
import { DashboardPage } from '../pages/dashboard/DashboardPage';
import { OrderDetailPage } from '../pages/orders/OrderDetailPage';
import { AlertsPage } from '../pages/operations/AlertsPage';
import { LogsPage } from '../pages/operations/LogsPage';
import { NotificationsPage } from '../pages/operations/NotificationsPage';
import { OrdersPage } from '../pages/orders/OrdersPage';
import { CashierPage } from '../pages/payments/CashierPage';
import { ExceptionsPage } from '../pages/payments/ExceptionsPage';
import { RefundsPage } from '../pages/refunds/RefundsPage';
import { ReconRunPage } from '../pages/reconciliation/ReconRunPage';
import { ReconRunsPage } from '../pages/reconciliation/ReconRunsPage';
import { ReconciliationOutlined } from '@ant-design/icons';
import { RollbackOutlined, SolutionOutlined } from '@ant-design/icons';
import { ChannelsPage } from '../pages/settings/ChannelsPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { TransactionsPage } from '../pages/transactions/TransactionsPage';
import type { Permission } from './api-types';

export interface PageRoute {
  path: string;
  element: ReactNode;
  /** Needed to open the page; the navigation hides pages the user may not open. */
  permission: Permission;
  /** Set for pages that appear in the side navigation. */
  nav?: { label: string; icon: ReactNode; group: string; /** A count beside the label (e.g. 待我审批). */ badge?: ReactNode };
  /**
   * Where the day's work starts after logging in (the order list), when the user may open it;
   * otherwise the first page of the navigation. The dashboard heads the navigation but is not the work.
   */
  home?: boolean;
}

/**
 * Every screen of the product that works today. Refunds, batch payouts, reconciliation and reports
 * join the navigation when their back end exists: a menu entry that leads nowhere costs an
 * accountant more time than a missing one.
 */
export const PAGE_ROUTES: PageRoute[] = [
  { path: '/dashboard', element: <DashboardPage />, permission: 'stats:view', nav: { label: '数据统计', icon: <DashboardOutlined />, group: '支付管理' } },
  { path: '/orders', element: <OrdersPage />, permission: 'order:view', nav: { label: '支付订单', icon: <FileTextOutlined />, group: '支付管理' }, home: true },
  { path: '/orders/:orderNo', element: <OrderDetailPage />, permission: 'order:view' },
  { path: '/transactions', element: <TransactionsPage />, permission: 'transaction:view', nav: { label: '交易记录', icon: <SwapOutlined />, group: '支付管理' } },
  { path: '/cashier', element: <CashierPage />, permission: 'payment:collect', nav: { label: '收款台', icon: <QrcodeOutlined />, group: '支付管理' } },
  { path: '/cashier/:orderNo', element: <CashierPage />, permission: 'payment:collect' },
  { path: '/bookings', element: <BookingsPage />, permission: 'booking:manage', nav: { label: '客户预定', icon: <CalendarOutlined />, group: '支付管理' } },
  { path: '/bookings/:bookingNo', element: <BookingDetailPage />, permission: 'booking:manage' },
  { path: '/meal-bills', element: <MealBillsPage />, permission: 'mealbill:manage', nav: { label: '餐费账单', icon: <CoffeeOutlined />, group: '支付管理' } },
  { path: '/meal-bills/:billNo', element: <MealBillDetailPage />, permission: 'mealbill:manage' },
  { path: '/meal-bills/:billNo/print', element: <MealBillReceipt />, permission: 'mealbill:manage' },
  { path: '/approvals', element: <ApprovalsPage />, permission: 'approval:view', nav: { label: '审批中心', icon: <SolutionOutlined />, group: '退款与审批', badge: <ApprovalNavBadge /> } },
  { path: '/approvals/:id', element: <ApprovalDetailPage />, permission: 'approval:view' },
  { path: '/payables', element: <PayablesPage />, permission: 'supplier:view', nav: { label: '应付款', icon: <AccountBookOutlined />, group: '供应商付款' } },
  { path: '/supplier-payments', element: <SupplierPaymentsPage />, permission: 'supplier:view', nav: { label: '付款单', icon: <BankOutlined />, group: '供应商付款' } },
  { path: '/supplier-payments/:paymentNo', element: <SupplierPaymentDetailPage />, permission: 'supplier:view' },
  { path: '/suppliers', element: <SuppliersPage />, permission: 'supplier:view', nav: { label: '供应商', icon: <ShopOutlined />, group: '供应商付款' } },
  { path: '/vouchers', element: <VouchersPage />, permission: 'voucher:view', nav: { label: '付款凭证', icon: <FileDoneOutlined />, group: '供应商付款' } },
  { path: '/vouchers/:voucherNo', element: <PaymentVoucher />, permission: 'voucher:view' },
  // 薪资与批量付款 (issue 7): the batch pages join this group.
  { path: '/salary/sheets', element: <SalarySheetPage />, permission: 'salary:view', nav: { label: '薪资表', icon: <TableOutlined />, group: '薪资与批量付款' } },
  { path: '/salary/employees', element: <EmployeesPage />, permission: 'salary:view', nav: { label: '员工', icon: <IdcardOutlined />, group: '薪资与批量付款' } },
  { path: '/salary/payslips', element: <PayslipsPage />, permission: 'salary:view', nav: { label: '工资条', icon: <ProjectOutlined />, group: '薪资与批量付款' } },
  { path: '/batches', element: <BatchesPage />, permission: 'batch:view', nav: { label: '批量付款', icon: <OrderedListOutlined />, group: '薪资与批量付款' } },
  { path: '/batches/new', element: <NewBatchPage />, permission: 'batch:create' },
  { path: '/batches/:batchNo', element: <BatchDetailPage />, permission: 'batch:view' },
  { path: '/batches/:batchNo/report', element: <BatchReport />, permission: 'batch:view' },
  { path: '/refunds', element: <RefundsPage />, permission: 'refund:view', nav: { label: '退款管理', icon: <RollbackOutlined />, group: '退款与审批' } },
  { path: '/payment-exceptions', element: <ExceptionsPage />, permission: 'payment:exceptions', nav: { label: '支付异常', icon: <ExceptionOutlined />, group: '退款与审批' } },
  { path: '/reconciliation', element: <ReconRunsPage />, permission: 'recon:view', nav: { label: '对账工作台', icon: <ReconciliationOutlined />, group: '对账' } },
  { path: '/reconciliation/:runId', element: <ReconRunPage />, permission: 'recon:view' },
  { path: '/reconciliation/report', element: <ReconReport />, permission: 'recon:view' },
  { path: '/notifications', element: <NotificationsPage />, permission: 'notifications:view', nav: { label: '通知记录', icon: <MessageOutlined />, group: '运行监控' } },
  { path: '/alerts', element: <AlertsPage />, permission: 'alerts:view', nav: { label: '告警', icon: <AlertOutlined />, group: '运行监控' } },
  { path: '/logs', element: <LogsPage />, permission: 'logs:view', nav: { label: '系统日志', icon: <ProfileOutlined />, group: '运行监控' } },
  { path: '/audit', element: <AuditPage />, permission: 'audit:view', nav: { label: '审计日志', icon: <AuditOutlined />, group: '运行监控' } },
  { path: '/users', element: <UsersPage />, permission: 'user:view', nav: { label: '用户与角色', icon: <TeamOutlined />, group: '系统管理' } },
  { path: '/settings', element: <SettingsPage />, permission: 'settings:view', nav: { label: '系统设置', icon: <SettingOutlined />, group: '系统管理' } },
  { path: '/channels', element: <ChannelsPage />, permission: 'channel:configure', nav: { label: '支付渠道配置', icon: <ApiOutlined />, group: '系统管理' } },
];
