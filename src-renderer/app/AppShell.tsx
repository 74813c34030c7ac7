import { DownOutlined, KeyOutlined, LeftOutlined, LogoutOutlined, RightOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Dropdown, Flex, Layout, Menu, Result, Tag, Typography, theme, type MenuProps } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
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
  // The menu scrolls inside the window-high navigation: bring the current page's entry into view
  // (a deep link to 支付渠道配置 on a 720-pixel screen would otherwise show the wrong end of the menu).
  const menuBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = menuBox.current;
    const item = box?.querySelector('.ant-menu-item-selected');
    if (!box || !item) return;
    const b = box.getBoundingClientRect();
    const i = item.getBoundingClientRect();
    // Only when it is out of sight, and then to the middle, so its group's title shows too; a click on a visible entry never moves the menu.
    if (i.top < b.top || i.bottom > b.bottom) item.scrollIntoView({ block: 'center' });
  }, [selected, collapsed]);

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/*
        The navigation keeps to the window while the page scrolls: the menu scrolls inside it and the
        collapse button sits below the menu, never over it (see global.css). antd's own trigger is
        fixed to the window's bottom edge and drew over the menu once the entries outgrew the window.
      */}
      <Layout.Sider collapsible collapsed={collapsed} trigger={null} width={200} theme="dark" className="app-sider" data-testid="side-nav">
        <Flex vertical className="app-sider-inner">
          <Flex align="center" gap={8} style={{ flex: 'none', height: 56, padding: collapsed ? '0 24px' : '0 20px', color: '#fff', overflow: 'hidden', whiteSpace: 'nowrap' }}>
            <SafetyCertificateOutlined style={{ fontSize: 20, color: token.colorPrimary }} />
            {collapsed ? null : <span style={{ fontSize: 16, fontWeight: 600 }}>支付中心</span>}
          </Flex>
          <div ref={menuBox} className="app-sider-menu">
            <ConfigProvider theme={{ components: { Menu: { itemHeight: 36, itemMarginBlock: 2, groupTitleLineHeight: 1.2 } } }}>
              <Menu theme="dark" mode="inline" selectedKeys={selected ? [selected] : []} items={menuItems} onClick={({ key }) => navigate(key)} />
            </ConfigProvider>
          </div>
          <button type="button" className="app-sider-trigger" onClick={() => setCollapsed((c) => !c)} aria-label={collapsed ? '展开导航' : '收起导航'} title={collapsed ? '展开导航' : '收起导航'}>
            {collapsed ? <RightOutlined /> : <LeftOutlined />}
          </button>
        </Flex>
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
