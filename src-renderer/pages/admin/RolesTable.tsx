import { Alert, Flex, Table, Tag } from 'antd';
import type { RoleRecord } from '../../app/api-types';
import { useChannel } from '../../app/use-channel';
import { labelOf, useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';

/** The roles and what each may do. Read-only here: role permissions are configured by the vendor for now. */
export function RolesTable() {
  const v = useVocabulary();
  const roles = useChannel('roles.list', {});
  if (roles.error) return <LoadError error={roles.error} onRetry={roles.reload} />;
  return (
    <>
      <Alert type="info" showIcon title="角色的权限由系统预置，此处仅供查看。给用户分配角色请在“用户”页签中编辑用户。" style={{ marginBottom: 12 }} />
      <Table<RoleRecord>
        data-testid="role-table"
        size="small"
        rowKey="code"
        loading={roles.loading}
        dataSource={roles.data ?? []}
        pagination={false}
        columns={[
          { title: '角色', dataIndex: 'name', width: 120, render: (n: string, r) => n || labelOf(v.roles, r.code) },
          {
            title: '权限',
            dataIndex: 'permissions',
            render: (ps: RoleRecord['permissions']) => (
              <Flex wrap gap={4}>
                {ps.map((p) => (
                  <Tag key={p}>{v.permissions[p]}</Tag>
                ))}
              </Flex>
            ),
          },
        ]}
      />
    </>
  );
}
