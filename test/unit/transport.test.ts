import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BotApiClient } from '../../src/core/bot-api';
import { TelegramTransportError } from '../../src/core/errors';
import { explainFailure } from '../../src/core/explain';
import { TransportFailureError } from '../../src/core/transport';
import { createUndiciTransport } from '../../src/core/undici-transport';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';

/** A loopback HTTP server that answers every request with a Bot API success. */
async function startTarget(): Promise<{ server: http.Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'Bot' } }));
  });
  await listen(server);
  return { server, url: `http://127.0.0.1:${port(server)}`, hits };
}

/**
 * A tiny forward proxy: tunnels CONNECT requests and forwards absolute-form requests,
 * recording each target it was asked for.
 */
async function startProxy(): Promise<{ server: http.Server; url: string; targets: string[] }> {
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    targets.push(`forward ${req.url}`);
    const upstream = http.request(req.url ?? '', { method: req.method, headers: req.headers });
    upstream.on('response', (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    targets.push(`connect ${req.url}`);
    const [host, portText] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(portText), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await listen(server);
  return { server, url: `http://127.0.0.1:${port(server)}`, targets };
}

function listen(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function port(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('undici transport and proxies', () => {
  let target: Awaited<ReturnType<typeof startTarget>>;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  before(async () => {
    target = await startTarget();
    proxy = await startProxy();
  });
  after(async () => {
    await close(target.server);
    await close(proxy.server);
  });

  test('a Bot API call goes through the proxy named in http.proxy', async () => {
    const transport = createUndiciTransport({ proxyUrl: proxy.url, useEnvironment: false });
    const before = target.hits.length;
    try {
      const client = new BotApiClient({ token: TOKEN, baseUrl: target.url, transport });
      const me = await client.getMe();
      assert.equal(me.first_name, 'Bot');
    } finally {
      await transport.close();
    }
    const targetHost = new URL(target.url).host;
    assert.ok(
      proxy.targets.some((t) => t.includes(targetHost)),
      `the proxy saw ${JSON.stringify(proxy.targets)}`,
    );
    assert.equal(target.hits.length, before + 1);
  });

  test('without a proxy setting the call goes straight to the server', async () => {
    const seen = proxy.targets.length;
    const transport = createUndiciTransport({ useEnvironment: false });
    try {
      const reply = await transport.postJson(`${target.url}/x`, '{}', { timeoutMs: 5_000 });
      assert.equal(reply.status, 200);
    } finally {
      await transport.close();
    }
    assert.equal(proxy.targets.length, seen);
  });

  test('HTTP_PROXY from the environment is used when http.proxy is empty', async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    const seen = proxy.targets.length;
    const transport = createUndiciTransport({ useEnvironment: true });
    try {
      const reply = await transport.postJson(`${target.url}/env`, '{}', { timeoutMs: 5_000 });
      assert.equal(reply.status, 200);
    } finally {
      await transport.close();
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    assert.equal(proxy.targets.length, seen + 1);
  });

  test('an invalid proxy URL fails each request with a message naming http.proxy, not its value', async () => {
    const transport = createUndiciTransport({ proxyUrl: 'http//alice:s3cret-pass@proxy:8080' });
    const attempt = transport.postJson(`${target.url}/x`, '{}', { timeoutMs: 5_000 });
    await assert.rejects(attempt, (err: unknown) => {
      assert.ok(err instanceof TransportFailureError);
      assert.match(err.message, /http\.proxy setting is not a valid URL/);
      assert.doesNotMatch(err.message, /s3cret/);
      return true;
    });
  });

  test('a proxy URL with another scheme is refused with a clear message', async () => {
    const transport = createUndiciTransport({ proxyUrl: 'socks5://127.0.0.1:1080' });
    const client = new BotApiClient({ token: TOKEN, baseUrl: target.url, transport });
    const error = await client.getMe().then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(error instanceof TelegramTransportError);
    const text = explainFailure(error, { baseUrl: target.url });
    assert.match(text, /must start with http:\/\/ or https:\/\//);
    assert.match(text, /Could not reach the Telegram Bot API/);
  });
});
