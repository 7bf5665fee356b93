import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { PageAnswer } from './chat-view';
import type { Clock } from './clock';
import { apiErrorBody } from './errors';
import { type FaultPlan, type FaultSpec, faultResponse } from './faults';
import type { Answer } from './methods';
import { type Params, parseParams } from './params';
import { maskToken, maskTokensIn } from './world';

/** One HTTP request the emulator received, in arrival order. */
export interface RequestRecord {
  /** GET or POST. */
  httpMethod: string;
  /** The Bot API method named in the path, undefined when the path names none. */
  method?: string;
  /** The token from the path, unmasked: keep it out of anything printed. */
  token?: string;
  params: Params;
  /** Emulator clock at arrival, epoch ms. */
  time: number;
  /** HTTP status answered; 0 while pending or when the connection was dropped. */
  status: number;
  /** Which injected fault, if any, shaped the answer. */
  fault?: 'delay' | 'status' | 'drop' | 'truncate';
}

export interface ServerOptions {
  host: string;
  port: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
  clock: Clock;
  faults: FaultPlan;
  records: RequestRecord[];
  dispatch(token: string, method: string, params: Params, signal: AbortSignal): Promise<Answer>;
  log(line: string): void;
  /** Serves a page for paths outside the Bot API (the chat view); not recorded. */
  page?(method: string, path: string, body: Buffer): PageAnswer | undefined;
}

/**
 * The loopback HTTP(S) endpoint: routes `/bot<token>/<method>`, applies injected faults,
 * records every request, and can stop accepting connections and start again on the same
 * port.
 */
export class EmulatorServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private boundPort = 0;

  constructor(private readonly options: ServerOptions) {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
    };
    this.server =
      options.tls === undefined
        ? http.createServer(listener)
        : https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(port = this.options.port): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and cuts every open connection (in-flight calls get no answer). */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    const page =
      route === null ? this.options.page?.(req.method ?? 'GET', url.pathname, body) : undefined;
    if (page !== undefined) {
      const headers = { ...page.headers, 'content-type': page.contentType };
      res.writeHead(page.status, headers).end(page.body);
      return;
    }
    const token = route === null ? undefined : safeDecode(route[1] ?? '');
    const method = route === null ? undefined : safeDecode(route[2] ?? '');
    const params = parseParams(url.searchParams, body, req.headers['content-type'] ?? '');

    const record: RequestRecord = {
      httpMethod: req.method ?? 'GET',
      method,
      token,
      params,
      time: this.options.clock.now(),
      status: 0,
    };
    this.options.records.push(record);

    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });

    const fault = this.options.faults.take(method);
    if (fault?.delayMs !== undefined) {
      record.fault = 'delay';
      await this.sleep(fault.delayMs);
    }
    if (fault !== undefined && !fault.afterHandling && !fault.truncate && this.preempts(fault)) {
      this.applyFault(fault, res, record, undefined);
      return;
    }

    const answer: Answer =
      token === undefined || method === undefined
        ? { status: 404, body: { ...apiErrorBody(404, 'Not Found') } }
        : await this.options.dispatch(token, method, params, aborted.signal);
    if (answer === 'gone') return;

    if (fault !== undefined && this.preempts(fault)) this.applyFault(fault, res, record, answer);
    else this.send(res, record, answer.status, JSON.stringify(answer.body), 'application/json');
  }

  /** Whether the fault replaces the answer (a pure delay does not). */
  private preempts(fault: FaultSpec): boolean {
    return fault.drop === true || fault.truncate === true || fault.status !== undefined;
  }

  private applyFault(
    fault: FaultSpec,
    res: http.ServerResponse,
    record: RequestRecord,
    answer: Exclude<Answer, 'gone'> | undefined,
  ): void {
    if (fault.drop === true) {
      record.fault = 'drop';
      this.log(record, 'dropped');
      res.socket?.destroy();
      return;
    }
    if (fault.truncate === true && answer !== undefined) {
      record.fault = 'truncate';
      const full = JSON.stringify(answer.body);
      this.send(
        res,
        record,
        answer.status,
        full.slice(0, Math.floor(full.length / 2)),
        'application/json',
      );
      return;
    }
    record.fault = 'status';
    const { body, contentType } = faultResponse(fault);
    this.send(res, record, fault.status ?? 500, body, contentType);
  }

  private send(
    res: http.ServerResponse,
    record: RequestRecord,
    status: number,
    body: string,
    contentType: string,
  ): void {
    record.status = status;
    const headers: http.OutgoingHttpHeaders = {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
    };
    // Telegram's server repeats retry_after in a header on every 429.
    const retryAfter = /"retry_after":(\d+)/.exec(body)?.[1];
    if (status === 429 && retryAfter !== undefined) headers['retry-after'] = retryAfter;
    res.writeHead(status, headers);
    res.end(body);
    this.log(record, String(status));
  }

  private internalError(res: http.ServerResponse, error: unknown): void {
    this.options.log(maskTokensIn(`emulator error: ${String(error)}`));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify(apiErrorBody(500, 'Internal Server Error'));
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(body);
  }

  private log(record: RequestRecord, outcome: string): void {
    const token = record.token === undefined ? '' : maskToken(record.token);
    const path = record.method === undefined ? '(no method)' : `/bot${token}/${record.method}`;
    this.options.log(maskTokensIn(`${record.httpMethod} ${path} -> ${outcome}`));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
