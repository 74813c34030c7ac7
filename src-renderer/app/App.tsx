import { App as AntdApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { HashRouter } from 'react-router-dom';
import { AppShell } from './AppShell';
import { AuthProvider, useAuth } from './auth-context';
import { LoginPage } from './LoginPage';
import { SetupPage } from './SetupPage';
import { VocabularyProvider } from './vocabulary-context';

dayjs.locale('zh-cn');

/**
 * The root: Chinese locale, the domain vocabulary, the session, then one of set-up, log-in or the
 * shell. A HashRouter because the Electron build loads index.html from file://.
 */
export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      // No space inside two-character button labels ("登 录"): tests and screen readers see the real word.
      button={{ autoInsertSpace: false }}
      theme={{ token: { borderRadius: 4 }, components: { Table: { cellPaddingBlockSM: 6 } } }}
    >
      <AntdApp>
        <HashRouter>
          <VocabularyProvider>
            <AuthProvider>
              <AuthGate />
            </AuthProvider>
          </VocabularyProvider>
        </HashRouter>
      </AntdApp>
    </ConfigProvider>
  );
}

function AuthGate() {
  const { phase, retry } = useAuth();
  if (phase.kind === 'loading') return <Spin size="large" fullscreen tip="正在加载…" />;
  if (phase.kind === 'failed')
    return (
      <Result
        status="error"
        title="无法连接支付中心"
        subTitle={phase.error.message}
        extra={
          <Button type="primary" onClick={retry}>
            重试
          </Button>
        }
      />
    );
  if (phase.needsSetup) return <SetupPage />;
  if (!phase.session) return <LoginPage />;
  return <AppShell />;
}
