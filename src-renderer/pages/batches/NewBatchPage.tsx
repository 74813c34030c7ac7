import { ArrowLeftOutlined, EditOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Radio, Tabs } from 'antd';
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { PageTitle } from '../../components/PageTitle';
import type { BatchType } from './batch-tags';
import { ImportPanel } from './ImportPanel';
import { ManualLinesPanel } from './ManualLinesPanel';

export interface BatchHeader {
  batchType: BatchType;
  title: string;
  description?: string;
}

/** Validates the header fields (shown under them when wrong); `suggestedTitle` fills an empty name (e.g. from the file's name). */
export type ReadHeader = (suggestedTitle?: string) => Promise<BatchHeader>;

/**
 * 新建批量任务: the type, a name and a note, then the payees — an Excel / CSV file (dropped or
 * picked, checked row by row before anything is created) or a few lines typed in. The batch is
 * created as a draft; it is sent to the approvers from its page.
 */
export function NewBatchPage() {
  const v = useVocabulary();
  const navigate = useNavigate();
  const [form] = Form.useForm<BatchHeader>();

  const readHeader: ReadHeader = useCallback(
    async (suggestedTitle) => {
      if (suggestedTitle && !String(form.getFieldValue('title') ?? '').trim()) form.setFieldValue('title', suggestedTitle.slice(0, 128));
      const h = await form.validateFields();
      return { batchType: h.batchType, title: h.title.trim(), description: h.description?.trim() || undefined };
    },
    [form],
  );
  const created = (batchNo: string) => navigate(`/batches/${batchNo}`);

  return (
    <>
      <PageTitle
        title="新建批量任务"
        sub="创建后为草稿，提交审批并通过后才会付款"
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/batches')}>
            批量任务列表
          </Button>
        }
      />
      <Card size="small" title="任务信息" style={{ marginBottom: 12 }}>
        <Form<BatchHeader> form={form} name="batch-header" layout="inline" initialValues={{ batchType: 'salary' }} style={{ rowGap: 12 }} data-testid="batch-header">
          <Form.Item name="batchType" label="批量类型" rules={[{ required: true, message: '请选择批量类型' }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={optionsOf(v.batchTypes)} />
          </Form.Item>
          <Form.Item name="title" label="任务名称" rules={[{ required: true, whitespace: true, message: '请填写任务名称' }, { max: 128, message: '任务名称不能超过 128 个字符' }]}>
            <Input placeholder="如：2026年11月工资" style={{ width: 260 }} maxLength={128} />
          </Form.Item>
          <Form.Item name="description" label="说明" rules={[{ max: 512, message: '说明不能超过 512 个字符' }]}>
            <Input placeholder="选填，审批人可见" style={{ width: 360 }} maxLength={512} />
          </Form.Item>
        </Form>
      </Card>
      <Card size="small">
        <Tabs
          data-testid="batch-source-tabs"
          items={[
            { key: 'file', label: '导入文件', icon: <FileExcelOutlined />, children: <ImportPanel readHeader={readHeader} onCreated={created} /> },
            { key: 'manual', label: '手工录入', icon: <EditOutlined />, children: <ManualLinesPanel readHeader={readHeader} onCreated={created} /> },
          ]}
        />
      </Card>
    </>
  );
}
