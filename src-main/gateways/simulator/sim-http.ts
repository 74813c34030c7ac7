import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/time';
import type { Platform } from '../gateway';
import type { FaultPlan } from './faults';
import type { SimLedger, SimTrade } from './ledger';
import type { Notifier } from './notifier';

/** A request to the simulator with its raw body (signatures cover the exact bytes). */
export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** What every simulated platform shares: the clock, the notifier, its own address. */
export interface SimContext {
  clock: Clock;
  notifier: Notifier;
  baseUrl(): string;
}

export interface SimPlatform {
  readonly platform: Platform;
  readonly ledger: SimLedger;
  readonly faults: FaultPlan;
  /** Answers the request if it is one of this platform's paths; returns false otherwise. */
  handle(req: SimRequest, res: ServerResponse): Promise<boolean>;
  /** The payer pays: on the simulator's pay page, or from a test. Sends the notification. */
  pay(orderNo: string): Promise<SimTrade>;
  /** Writes the platform's bill of a Shanghai business day in its own format. */
  bill?(date: string, type: 'all' | 'success' | 'refund'): Buffer;
}

export function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

/** Never answers: the client's timeout fires and it cannot know what happened. */
export function hang(_res: ServerResponse): void {
  // The socket is destroyed when the simulator stops.
}
