import { DownOutlined, KeyOutlined, LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Flex, Layout, Menu, Result, Tag, Typography, theme, type MenuProps } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Forbidden } from '../components/LoadError';
import { AlertBadge } from '../pages/operations/AlertBadge';
import { useAuth, useSession } from './auth-context';
import { ChangePasswordModal } from './ChangePasswordModal';
import { PAGE_ROUTES } from './routes';
import { useReportError } from './use-report-error';
import { useVocabulary } from './vocabulary-context';

/** The logged-in frame: side navigation of the permitted pages, header with the user, the page. */
export function AppShell() {
  const { can, logout } = useAuth();
  const session = useSession();
  const vocabulary = useVocabulary();
  const report = useReportError();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);

  const navPages = PAGE_ROUTES.filter((r) => r.nav && can(r.permission));
  const menuItems = useMemo<MenuProps['items']>(() => {
    const groups = new Map<string, { key: string; icon: ReactNode; label: ReactNode }[]>();
    for (const r of navPages) {
      if (!r.nav) continue;
      const list = groups.get(r.nav.group) ?? [];
      const label = r.nav.badge ? (
        <span>
          {r.nav.label}
          {r.nav.badge}
        </span>
      ) : (
        r.nav.label
      );
      list.push({ key: r.path, icon: r.nav.icon, label });
      groups.set(r.nav.group, list);
    }
    return [...groups].map(([group, children]) => ({ type: 'group' as const, key: group, label: collapsed ? null : group, children }));
  }, [navPages, collapsed]);

  const selected = navPages.find((r) => location.pathname === r.path || location.pathname.startsWith(`${r.path}/`))?.path;
  const home = (navPages.find((r) => r.home) ?? navPages[0])?.path;

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={200} theme="dark" data-testid="side-nav">
        <Flex align="center" gap={8} style={{ height: 56, padding: collapsed ? '0 24px' : '0 20px', color: '#fff', overflow: 'hidden', whiteSpace: 'nowrap' }}>
          <SafetyCertificateOutlined style={{ fontSize: 20, color: token.colorPrimary }} />
          {collapsed ? null : <span style={{ fontSize: 16, fontWeight: 600 }}>支付中心</span>}
        </Flex>
        <Menu theme="dark" mode="inline" selectedKeys={selected ? [selected] : []} items={menuItems} onClick={({ key }) => navigate(key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: token.colorBgContainer, padding: '0 20px', height: 56, lineHeight: '56px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}
        >
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Typography.Text type="secondary">餐食关系系统 · 财务后台</Typography.Text>
            <Flex align="center" gap={4}>
              <AlertBadge />
              <Dropdown
                trigger={['click']}
                menu={{
                  items: userMenu,
                  onClick: ({ key }) => {
                    if (key === 'password') setChangingPassword(true);
                    if (key === 'logout')
                      // The next person to log in starts from their own first page, not this one.
                      logout().then(() => navigate('/', { replace: true }), report);
                  },
                }}
              >
                <Button type="text" data-testid="user-menu">
                  <UserOutlined />
                  <span data-testid="current-user">{session.user.displayName}</span>
                  <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                    {vocabulary.roles[session.user.role]}
                  </Tag>
                  <DownOutlined style={{ fontSize: 10 }} />
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <div style={{ background: token.colorBgContainer, borderRadius: token.borderRadiusLG, padding: 16, minHeight: 'calc(100vh - 88px)' }}>
            <Routes>
              {PAGE_ROUTES.map((r) => (
                <Route key={r.path} path={r.path} element={can(r.permission) ? r.element : <Forbidden message={`没有权限：${vocabulary.permissions[r.permission]}。请联系管理员开通。`} />} />
              ))}
              <Route
                path="*"
                element={home ? <Navigate to={home} replace /> : <Result status="403" title="暂无可用功能" subTitle="您的账号还没有分配任何功能权限，请联系管理员。" />}
              />
            </Routes>
          </div>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </Layout>
  );
}
