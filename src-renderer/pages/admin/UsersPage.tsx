import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import type { UserRecord } from '../../app/api-types';
import { useAuth, useSession } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { PermissionMatrix } from './PermissionMatrix';
import { CreateUserModal, EditUserModal, ResetPasswordModal } from './UserFormModals';

/** 用户与角色: staff accounts (create, change role, disable, reset password) and the roles. */
export function UsersPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const me = useSession().user;
  const users = useChannel('users.list', {});
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRecord | null>(null);
  const [resetting, setResetting] = useState<UserRecord | null>(null);
  const manage = can('user:manage');

  const saved = () => {
    setCreating(false);
    setEditing(null);
    setResetting(null);
    users.reload();
  };

  const userTable = (
    <>
      {users.error ? <LoadError error={users.error} onRetry={users.reload} /> : null}
      <Table<UserRecord>
        data-testid="user-table"
        size="small"
        rowKey="id"
        loading={users.loading}
        dataSource={users.data ?? []}
        pagination={false}
        locale={{ emptyText: '暂无用户' }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 160 },
          { title: '姓名', dataIndex: 'displayName', width: 160, render: (n: string, u) => (u.id === me.id ? `${n}（我）` : n) },
          { title: '角色', dataIndex: 'role', width: 110, render: (r: UserRecord['role']) => v.roles[r] },
          {
            title: '状态',
            dataIndex: 'active',
            width: 90,
            render: (a: boolean) => (a ? <Badge status="success" text="启用" /> : <Badge status="default" text="停用" />),
          },
          { title: '创建时间', dataIndex: 'createdAt', width: 170, render: (t: number) => formatTime(t) },
          ...(manage
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  render: (_: unknown, u: UserRecord) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(u)} data-testid={`edit-user-${u.username}`}>
                        编辑
                      </Button>
                      <Button type="link" size="small" onClick={() => setResetting(u)} data-testid={`reset-password-${u.username}`}>
                        重置密码
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );

  return (
    <>
      <PageTitle
        title="用户与角色"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={users.reload}>
              刷新
            </Button>
            {manage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">
                新建用户
              </Button>
            ) : null}
          </>
        }
      />
      <Tabs
        items={[
          { key: 'users', label: '用户', children: userTable },
          { key: 'matrix', label: '权限矩阵', children: <PermissionMatrix /> },
        ]}
      />
      <CreateUserModal open={creating} onClose={() => setCreating(false)} onSaved={saved} />
      <EditUserModal user={editing} onClose={() => setEditing(null)} onSaved={saved} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} onSaved={saved} />
    </>
  );
}
