import { FolderOpenOutlined } from '@ant-design/icons';
import { App, Button, Upload } from 'antd';

/**
 * Reads a key or certificate file chosen by the administrator into a form field, so a PEM keeps its
 * line breaks and never passes through the clipboard. The file is read here; nothing is uploaded.
 */
export function PemFileButton({ onLoaded, disabled, testId }: { onLoaded: (text: string) => void; disabled?: boolean; testId?: string }) {
  const { message } = App.useApp();
  return (
    <Upload
      accept=".pem,.key,.crt,.cer,.txt"
      showUploadList={false}
      disabled={disabled}
      beforeUpload={(file) => {
        if (file.size > 16_384) {
          void message.error('文件过大：密钥或证书文件通常不超过 16 KB');
          return Upload.LIST_IGNORE;
        }
        file.text().then(
          (text) => {
            onLoaded(text);
            void message.success(`已读取文件 ${file.name}`);
          },
          () => void message.error(`无法读取文件 ${file.name}`),
        );
        return Upload.LIST_IGNORE;
      }}
    >
      <Button size="small" icon={<FolderOpenOutlined />} disabled={disabled} data-testid={testId}>
        从文件读取…
      </Button>
    </Upload>
  );
}
