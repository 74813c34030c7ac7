import { AuditOutlined, FileTextOutlined, SettingOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { UsersPage } from '../pages/admin/UsersPage';
import { AuditPage } from '../pages/audit/AuditPage';
import { OrderDetailPage } from '../pages/orders/OrderDetailPage';
import { OrdersPage } from '../pages/orders/OrdersPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { TransactionsPage } from '../pages/transactions/TransactionsPage';
import type { Permission } from './api-types';

export interface PageRoute {
  path: string;
  element: ReactNode;
  /** Needed to open the page; the navigation hides pages the user may not open. */
  permission: Permission;
  /** Set for pages that appear in the side navigation. */
  nav?: { label: string; icon: ReactNode; group: string };
}

/**
 * Every screen of the product that works today. Refunds, batch payouts, reconciliation and reports
 * join the navigation when their back end exists: a menu entry that leads nowhere costs an
 * accountant more time than a missing one.
 */
export const PAGE_ROUTES: PageRoute[] = [
  { path: '/orders', element: <OrdersPage />, permission: 'order:view', nav: { label: '支付订单', icon: <FileTextOutlined />, group: '支付管理' } },
  { path: '/orders/:orderNo', element: <OrderDetailPage />, permission: 'order:view' },
  { path: '/transactions', element: <TransactionsPage />, permission: 'transaction:view', nav: { label: '交易记录', icon: <SwapOutlined />, group: '支付管理' } },
  { path: '/audit', element: <AuditPage />, permission: 'audit:view', nav: { label: '审计日志', icon: <AuditOutlined />, group: '系统管理' } },
  { path: '/users', element: <UsersPage />, permission: 'user:view', nav: { label: '用户与角色', icon: <TeamOutlined />, group: '系统管理' } },
  { path: '/settings', element: <SettingsPage />, permission: 'settings:view', nav: { label: '系统设置', icon: <SettingOutlined />, group: '系统管理' } },
];
