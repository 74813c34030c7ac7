import net from 'node:net';

/**
 * A TCP forwarder in front of the shared MariaDB that a test can cut and restore, so "the central
 * store is unreachable" is real network behaviour without stopping the server other suites use.
 * - cut('refuse'): stops listening and kills the open connections (ECONNREFUSED, PROTOCOL_CONNECTION_LOST);
 * - cut('reset'): keeps listening but resets every connection at once (ECONNRESET / lost in the handshake).
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'open' | 'reset' = 'open';
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target = { host: '127.0.0.1', port: 3306 }): Promise<TcpProxy> {
    const p = new TcpProxy(target);
    await p.listen(0);
    return p;
  }

  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => {
      if (this.mode === 'reset') return void client.resetAndDestroy();
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private killConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async cut(how: 'refuse' | 'reset' = 'refuse'): Promise<void> {
    this.killConnections();
    if (how === 'reset') {
      this.mode = 'reset';
      return;
    }
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    this.mode = 'open';
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    this.killConnections();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
