import { startPaymentServer, type PaymentServer } from '../../src-main/hosts/server';
import type { App } from '../../src-main/app';
import { startSandbox, type Sandbox } from '../../src-main/gateways/sandbox';
import { testApp, type StoreKind } from './stores';

/**
 * The whole payment path on loopback: the app on a fresh store, the headless server receiving
 * callbacks, and the three simulated platforms with the real adapters (time scaled 1:1000, so
 * WeChat's 15 s retry takes 15 ms).
 */
export interface PaymentRig {
  app: App;
  server: PaymentServer;
  sandbox: Sandbox;
  close(): Promise<void>;
}

export async function paymentRig(kind: StoreKind, timeScale = 0.001): Promise<PaymentRig> {
  const sandbox = await startSandbox({ timeScale });
  let base = '';
  const { app, close } = await testApp(kind, { gateways: sandbox.registry, callbackBaseUrl: () => base });
  const server = await startPaymentServer({ app, port: 0, clients: new Map(), log: () => undefined });
  base = server.url;
  return {
    app,
    server,
    sandbox,
    close: async () => {
      await sandbox.stop();
      await server.close();
      await close();
    },
  };
}
