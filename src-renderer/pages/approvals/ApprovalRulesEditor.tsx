import { ArrowRightOutlined, CloseOutlined, DeleteOutlined, PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Input, Select, Skeleton, Switch, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useInlineSubmit } from '../../app/use-inline-submit';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { LoadError } from '../../components/LoadError';
import { fenToYuanInput, formatFen } from '../../components/money-format';
import { BUSINESS_TYPE_LABELS, BUSINESS_TYPES, type ApprovalBusinessType, type ApprovalRuleRecord, type ApprovalRulesView } from './approval-labels';

/** One amount band as edited: its upper limit in yuan as typed ('' on the last band: no limit). */
interface Band {
  key: number;
  upTo: string;
  levels: string[];
  bulk: boolean;
}
type Bands = Record<ApprovalBusinessType, Band[]>;

const MAX_LEVELS = 10;
let nextKey = 1;

/** "5000", "5,000.50" → fen; null when it is not a positive amount with at most two decimals. */
export function yuanToFen(text: string): number | null {
  const t = text.replace(/[,，\s¥]/g, '');
  const m = /^(\d{1,11})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

function toBands(rules: readonly ApprovalRuleRecord[]): Bands {
  const out = Object.fromEntries(BUSINESS_TYPES.map((t) => [t, [] as Band[]])) as Bands;
  for (const r of [...rules].sort((a, b) => a.overFen - b.overFen))
    out[r.businessType].push({ key: nextKey++, upTo: r.upToFen === null ? '' : fenToYuanInput(r.upToFen), levels: [...r.levels], bulk: r.bulkApprovable });
  return out;
}

/** The bands' problems per band key (shown beside the field), and the rules when there are none. */
function toRules(bands: Bands): { errors: Map<number, string>; rules: ApprovalRuleRecord[] } {
  const errors = new Map<number, string>();
  const rules: ApprovalRuleRecord[] = [];
  for (const type of BUSINESS_TYPES) {
    let over = 0;
    bands[type].forEach((b, i) => {
      const last = i === bands[type].length - 1;
      const upTo = last ? null : yuanToFen(b.upTo);
      if (!last && upTo === null) errors.set(b.key, '请输入上限金额（元，最多两位小数）');
      else if (upTo !== null && upTo <= over) errors.set(b.key, `上限必须大于 ${formatFen(over)}`);
      if (b.levels.some((l) => !l)) errors.set(b.key, errors.get(b.key) ?? '请为每一级选择审批角色');
      rules.push({ businessType: type, overFen: over, upToFen: upTo, levels: b.levels, bulkApprovable: b.bulk });
      if (upTo !== null) over = upTo;
    });
  }
  return { errors, rules };
}

/**
 * 审批规则 (issue 5: rules as data): per business type, amount bands and the role approving each
 * level. The bands follow on from each other by construction (each starts where the previous one
 * ends, the last has no limit); the server validates again against the roles that exist. Saving
 * never changes a request already under approval: it keeps the levels it started with.
 */
export function ApprovalRulesEditor() {
  const rules = useChannel('approvals.rules', {});
  return (
    <div data-testid="approval-rules">
      {rules.error ? <LoadError error={rules.error} onRetry={rules.reload} /> : null}
      {!rules.data && rules.loading ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
      {rules.data ? <RulesForm key={rules.data.revision} view={rules.data} onSaved={rules.reload} /> : null}
    </div>
  );
}

function RulesForm({ view, onSaved }: { view: ApprovalRulesView; onSaved: () => void }) {
  const { can } = useAuth();
  const editable = can('approval:rules');
  const { message } = App.useApp();
  const [bands, setBands] = useState<Bands>(() => toBands(view.rules));
  const [showErrors, setShowErrors] = useState(false);
  const { busy, refused, clearRefused, submit } = useInlineSubmit();
  const { errors, rules } = toRules(bands);
  const [saved] = useState(() => JSON.stringify(toRules(toBands(view.rules)).rules));
  const dirty = JSON.stringify(rules) !== saved;
  const roleOptions = view.roles.map((r) => ({ value: r.code, label: r.name }));

  const change = (type: ApprovalBusinessType, next: Band[]) => {
    clearRefused();
    setBands((b) => ({ ...b, [type]: next }));
  };

  const save = async () => {
    setShowErrors(true);
    if (errors.size > 0) return;
    await submit(async () => {
      await call('approvals.updateRules', { revision: view.revision, rules });
      void message.success('审批规则已保存；之后提交的申请按新规则审批，审批中的申请不受影响');
      onSaved();
    });
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1100 }}>
      <Typography.Text type="secondary">
        金额恰好等于上限时按较低一档审批（例如“不超过 ¥5,000.00”包含 ¥5,000.00）。每一级由一人审批，同一人只能审批一级，申请人不能审批自己的申请。修改只影响之后提交的申请。
      </Typography.Text>
      {editable ? null : <Alert type="info" showIcon title="您只有查看权限，修改审批规则需要“配置审批规则”权限。" />}
      {BUSINESS_TYPES.map((type) => (
        <TypeRules key={type} type={type} bands={bands[type]} editable={editable} roleOptions={roleOptions} errors={showErrors ? errors : new Map()} onChange={(next) => change(type, next)} />
      ))}
      {refused ? (
        <Alert
          type="error"
          showIcon
          title="审批规则未保存"
          description={refused.message}
          data-testid="approval-rules-error"
          action={refused.code === 'CONCURRENT_UPDATE' ? <Button onClick={onSaved}>重新加载</Button> : undefined}
        />
      ) : null}
      {editable ? (
        <Flex align="center" gap={12}>
          <Button type="primary" icon={<SaveOutlined />} loading={busy} disabled={!dirty} onClick={() => void save()} data-testid="save-approval-rules">
            保存审批规则
          </Button>
          <Button
            icon={<UndoOutlined />}
            disabled={!dirty || busy}
            onClick={() => {
              setBands(toBands(view.rules));
              setShowErrors(false);
              clearRefused();
            }}
          >
            放弃修改
          </Button>
          <Typography.Text type={dirty ? 'warning' : 'secondary'} data-testid="approval-rules-dirty">
            {dirty ? '有未保存的修改' : '规则与已保存的一致'}
          </Typography.Text>
        </Flex>
      ) : null}
    </Flex>
  );
}

interface TypeRulesProps {
  type: ApprovalBusinessType;
  bands: Band[];
  editable: boolean;
  roleOptions: { value: string; label: string }[];
  errors: Map<number, string>;
  onChange: (next: Band[]) => void;
}

function TypeRules({ type, bands, editable, roleOptions, errors, onChange }: TypeRulesProps) {
  const set = (i: number, patch: Partial<Band>) => onChange(bands.map((b, k) => (k === i ? { ...b, ...patch } : b)));
  const lowerOf = (i: number) => (i === 0 ? 0 : (yuanToFen(bands[i - 1]!.upTo) ?? null));
  // A new band splits off the top: the band that had no limit gets one (typed next), the new one takes over "no limit".
  const addBand = () => {
    const last = bands[bands.length - 1];
    onChange([...bands, { key: nextKey++, upTo: '', levels: last ? [...last.levels] : [roleOptions[0]?.value ?? ''], bulk: false }]);
  };
  const removeBand = (i: number) => {
    const next = bands.filter((_, k) => k !== i);
    if (next.length) next[next.length - 1] = { ...next[next.length - 1]!, upTo: '' };
    onChange(next);
  };

  return (
    <Card size="small" title={`${BUSINESS_TYPE_LABELS[type]}审批`} data-testid={`rules-${type}`}>
      <Table<Band>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={bands}
        columns={[
          {
            title: '金额区间',
            key: 'range',
            width: 330,
            render: (_: unknown, b, i) => {
              const last = i === bands.length - 1;
              const lower = lowerOf(i);
              const from = lower === null ? '上一档上限' : formatFen(lower);
              const error = errors.get(b.key);
              // Read as the finance policy is written: 不超过 ¥5,000.00 / 超过 ¥5,000.00 至 ¥50,000.00（含）/ 超过 ¥50,000.00.
              return (
                <Flex vertical gap={2}>
                  <Flex align="center" gap={6} wrap={false}>
                    {i === 0 ? null : <span style={{ whiteSpace: 'nowrap' }}>超过 {from}</span>}
                    {last ? (
                      <Typography.Text type={i === 0 ? undefined : 'secondary'}>{i === 0 ? '任意金额' : '（无上限）'}</Typography.Text>
                    ) : (
                      <>
                        <span style={{ whiteSpace: 'nowrap' }}>{i === 0 ? '不超过' : '至'}</span>
                        <Input
                          value={b.upTo}
                          disabled={!editable}
                          status={error ? 'error' : undefined}
                          onChange={(e) => set(i, { upTo: e.target.value })}
                          prefix="¥"
                          suffix="（含）"
                          inputMode="decimal"
                          style={{ width: 170 }}
                          aria-label={`${BUSINESS_TYPE_LABELS[type]}第 ${i + 1} 档上限`}
                          data-testid={`upto-${type}-${i}`}
                        />
                      </>
                    )}
                  </Flex>
                  {error ? (
                    <Typography.Text type="danger" style={{ fontSize: 12 }}>
                      {error}
                    </Typography.Text>
                  ) : null}
                </Flex>
              );
            },
          },
          {
            title: '审批级别（依次审批）',
            key: 'levels',
            render: (_: unknown, b, i) => <LevelsEditor levels={b.levels} editable={editable} options={roleOptions} onChange={(levels) => set(i, { levels })} testId={`levels-${type}-${i}`} />,
          },
          {
            title: '批量审批',
            key: 'bulk',
            width: 90,
            render: (_: unknown, b, i) => <Switch checked={b.bulk} disabled={!editable} onChange={(bulk) => set(i, { bulk })} size="small" aria-label="允许批量审批" />,
          },
          ...(editable
            ? [
                {
                  title: '',
                  key: 'remove',
                  width: 50,
                  render: (_: unknown, _b: Band, i: number) =>
                    bands.length > 1 ? (
                      <Tooltip title="删除此金额档">
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => removeBand(i)} aria-label="删除此金额档" />
                      </Tooltip>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {editable ? (
        <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={addBand} style={{ marginTop: 8 }} data-testid={`add-band-${type}`}>
          增加金额档
        </Button>
      ) : null}
    </Card>
  );
}

function LevelsEditor({ levels, editable, options, onChange, testId }: { levels: string[]; editable: boolean; options: { value: string; label: string }[]; onChange: (l: string[]) => void; testId: string }) {
  return (
    <Flex align="center" gap={6} wrap data-testid={testId}>
      {levels.map((role, i) => (
        <Flex key={i} align="center" gap={4}>
          {i > 0 ? <ArrowRightOutlined style={{ color: '#999', fontSize: 11 }} /> : null}
          <Select
            size="small"
            value={role || undefined}
            placeholder="角色"
            disabled={!editable}
            options={options}
            onChange={(v: string) => onChange(levels.map((x, k) => (k === i ? v : x)))}
            style={{ width: 96 }}
            aria-label={`第 ${i + 1} 级审批角色`}
          />
          {editable && levels.length > 1 ? (
            <Button type="text" size="small" icon={<CloseOutlined />} onClick={() => onChange(levels.filter((_, k) => k !== i))} aria-label={`删除第 ${i + 1} 级`} />
          ) : null}
        </Flex>
      ))}
      {editable && levels.length < MAX_LEVELS ? (
        <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => onChange([...levels, ''])}>
          加一级
        </Button>
      ) : null}
    </Flex>
  );
}
