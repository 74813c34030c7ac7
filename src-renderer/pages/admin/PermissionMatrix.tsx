import { LockOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Flex, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { Permission, Role, RoleRecord } from '../../app/api-types';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { labelOf, useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';

type Row =
  | { kind: 'group'; key: string; label: string; permissions: readonly Permission[] }
  | { kind: 'permission'; key: Permission; label: string };

/** Unsaved columns: role → the permissions ticked now (only roles that differ from the stored ones). */
type Drafts = Partial<Record<Role, Permission[]>>;

/** A group row reads as a heading between its operations, also in the middle of the long page. */
const GROUP_CELL = { background: '#e8eef8', borderTop: '1px solid #c9d6ea' };
/** A tick that differs from the stored matrix (not saved yet). */
const CHANGED_CELL = { background: '#fff7e6' };

const sameSet = (a: readonly Permission[], b: readonly Permission[]) => a.length === b.length && a.every((p) => b.includes(p));

/**
 * 权限矩阵 (design document 5.3.1): roles as columns, operations grouped by area as rows. Ticks
 * are drafts until saved — per role or all at once, in one transaction on the server, which
 * refuses a change that would leave nobody able to edit the matrix. Read-only without `role:manage`.
 */
export function PermissionMatrix() {
  const v = useVocabulary();
  const { can, refresh, session } = useAuth();
  const { message } = App.useApp();
  const report = useReportError();
  const roles = useChannel('roles.list', {});
  const [drafts, setDrafts] = useState<Drafts>({});
  const [saving, setSaving] = useState<Role | 'all' | null>(null);
  const editable = can('role:manage');

  const stored = useMemo(() => new Map((roles.data ?? []).map((r) => [r.code, r])), [roles.data]);
  const granted = (role: Role): readonly Permission[] => drafts[role] ?? stored.get(role)?.permissions ?? [];
  const dirtyRoles = (Object.keys(drafts) as Role[]).filter((r) => drafts[r]);

  const setGrants = (role: Role, next: Permission[]) => {
    const original = stored.get(role)?.permissions ?? [];
    setDrafts((d) => {
      const copy = { ...d };
      if (sameSet(next, original)) delete copy[role];
      else copy[role] = next;
      return copy;
    });
  };
  const toggle = (role: Role, permissions: readonly Permission[], on: boolean) => {
    const now = new Set(granted(role));
    for (const p of permissions) {
      if (on) now.add(p);
      else now.delete(p);
    }
    setGrants(role, [...now]);
  };
  const discard = (role?: Role) =>
    setDrafts((d) => {
      if (!role) return {};
      const copy = { ...d };
      delete copy[role];
      return copy;
    });

  const save = async (only?: Role) => {
    const codes = only ? [only] : dirtyRoles;
    const changes = codes.flatMap((code) => {
      const role = stored.get(code);
      const permissions = drafts[code];
      return role && permissions ? [{ code, version: role.version, permissions }] : [];
    });
    if (changes.length === 0) return;
    setSaving(only ?? 'all');
    try {
      await call('roles.updatePermissions', { roles: changes });
      void message.success(`已保存${changes.map((c) => labelOf(v.roles, c.code)).join('、')}的权限，立即生效`);
      setDrafts((d) => {
        const copy = { ...d };
        for (const c of changes) delete copy[c.code];
        return copy;
      });
      roles.reload();
      // My own role may have changed: the menus follow at once.
      await refresh();
    } catch (e) {
      report(e);
    } finally {
      setSaving(null);
    }
  };

  const rows: Row[] = v.permissionGroups.flatMap((g) => [
    { kind: 'group' as const, key: `group:${g.key}`, label: g.label, permissions: g.permissions },
    ...g.permissions.map((p) => ({ kind: 'permission' as const, key: p, label: v.permissions[p] })),
  ]);
  // Columns in the order the core lists the roles (管理员, 会计, 出纳, 审批人, 审计), not the database's.
  const order = Object.keys(v.roles);
  const roleList: RoleRecord[] = [...(roles.data ?? [])].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));

  const changed = (r: RoleRecord, p: Permission) => drafts[r.code] !== undefined && drafts[r.code]!.includes(p) !== r.permissions.includes(p);

  const roleColumn = (r: RoleRecord): ColumnsType<Row>[number] => {
    const name = r.name || labelOf(v.roles, r.code);
    const dirty = drafts[r.code] !== undefined;
    const mine = session?.user.role === r.code;
    return {
      key: r.code,
      align: 'center',
      width: 112,
      title: (
        <Flex vertical align="center" gap={2} data-testid={`matrix-role-${r.code}`}>
          <span>
            {name}
            {mine ? <Typography.Text type="secondary">（我）</Typography.Text> : null}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {granted(r.code).length} 项
          </Typography.Text>
          {dirty ? (
            <Space size={0}>
              <Button type="link" size="small" loading={saving === r.code} disabled={saving !== null} onClick={() => void save(r.code)} aria-label={`保存${name}的权限`}>
                保存
              </Button>
              <Button type="link" size="small" disabled={saving !== null} onClick={() => discard(r.code)} aria-label={`撤销${name}的修改`}>
                撤销
              </Button>
            </Space>
          ) : null}
        </Flex>
      ),
      onCell: (row) => ({ style: row.kind === 'group' ? GROUP_CELL : changed(r, row.key) ? CHANGED_CELL : undefined }),
      render: (_: unknown, row: Row) => {
        const have = granted(r.code);
        if (row.kind === 'group') {
          const n = row.permissions.filter((p) => have.includes(p)).length;
          return (
            <Checkbox
              checked={n === row.permissions.length}
              indeterminate={n > 0 && n < row.permissions.length}
              disabled={!editable || saving !== null}
              onChange={(e) => toggle(r.code, row.permissions, e.target.checked)}
              aria-label={`${name}：全部${row.label}`}
            />
          );
        }
        return (
          <Checkbox
            checked={have.includes(row.key)}
            disabled={!editable || saving !== null}
            onChange={(e) => toggle(r.code, [row.key], e.target.checked)}
            aria-label={`${name}：${row.label}`}
          />
        );
      },
    };
  };
  const columns: ColumnsType<Row> = [
    {
      key: 'operation',
      title: '操作',
      onCell: (row) => ({ style: row.kind === 'group' ? GROUP_CELL : undefined }),
      render: (_: unknown, row: Row) =>
        row.kind === 'group' ? (
          <Typography.Text strong style={{ fontSize: 14 }}>
            {row.label}
          </Typography.Text>
        ) : (
          // One line per operation (its code after it, for the administrator who reads the audit log), so the page stays short.
          <Flex align="baseline" justify="space-between" gap={12} style={{ paddingLeft: 16 }}>
            <span>{row.label}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
              {row.key}
            </Typography.Text>
          </Flex>
        ),
    },
    ...roleList.map(roleColumn),
  ];

  if (roles.error) return <LoadError error={roles.error} onRetry={roles.reload} />;
  // Narrow enough that a tick stays near its label on a wide screen.
  return (
    <div style={{ maxWidth: 1080 }}>
      <Alert
        type="info"
        showIcon
        icon={<LockOutlined />}
        style={{ marginBottom: 12 }}
        title="密钥不属于任何权限"
        description="商户私钥、APIv3 密钥、API 密钥等加密保存，任何角色（包括管理员）都不能查看原文，因此矩阵中没有“查看密钥”这一项；配置支付渠道只能替换密钥。权限修改保存后立即生效，已登录的用户下一次操作即按新权限执行。"
        data-testid="matrix-key-note"
      />
      {editable ? null : <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="您只能查看权限矩阵；修改需要“编辑权限矩阵”权限。" />}
      {editable ? (
        <Flex align="center" justify="space-between" style={{ marginBottom: 12 }}>
          <Typography.Text type={dirtyRoles.length ? 'warning' : 'secondary'} data-testid="matrix-dirty">
            {dirtyRoles.length ? `有 ${dirtyRoles.length} 个角色的修改尚未保存：${dirtyRoles.map((r) => labelOf(v.roles, r)).join('、')}` : '勾选或取消勾选后保存，修改会记入审计日志。'}
          </Typography.Text>
          <Space>
            <Button icon={<UndoOutlined />} disabled={dirtyRoles.length === 0 || saving !== null} onClick={() => discard()}>
              放弃全部修改
            </Button>
            <Button type="primary" icon={<SaveOutlined />} disabled={dirtyRoles.length === 0} loading={saving === 'all'} onClick={() => void save()} data-testid="matrix-save-all">
              保存全部修改
            </Button>
          </Space>
        </Flex>
      ) : null}
      <Table<Row>
        data-testid="permission-matrix"
        size="small"
        bordered
        rowKey="key"
        loading={roles.loading}
        dataSource={roles.data ? rows : []}
        columns={columns}
        pagination={false}
        sticky
      />
    </div>
  );
}
