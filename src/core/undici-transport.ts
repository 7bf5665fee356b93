/**
 * The real HTTP transport: undici with keep-alive, connect/header/body timeouts and proxy
 * support. Bundled as its own file (dist/transport.js) and required on first use.
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent, ProxyAgent, request } from 'undici';
import { redact } from './redact';
import {
  type HttpReply,
  type HttpTransport,
  type PostOptions,
  ProxyConfigError,
  type ProxySettings,
  TransportFailureError,
} from './transport';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Keep sockets open between notifications in a burst, but not forever. */
const KEEP_ALIVE_MS = 30_000;

/** Throws {@link ProxyConfigError} when `http.proxy` is set to something unusable. */
export function createDispatcher(proxy: ProxySettings = {}): Dispatcher {
  const tls = { rejectUnauthorized: proxy.strictSsl !== false };
  const base = { keepAliveTimeout: KEEP_ALIVE_MS, connect: { ...tls, timeout: 10_000 } };
  if (proxy.proxyUrl) {
    checkProxyUrl(proxy.proxyUrl);
    return new ProxyAgent({ ...base, uri: proxy.proxyUrl, requestTls: tls, proxyTls: tls });
  }
  if (proxy.useEnvironment !== false && hasProxyEnvironment()) {
    return new EnvHttpProxyAgent({ ...base, requestTls: tls, proxyTls: tls });
  }
  return new Agent(base);
}

function checkProxyUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProxyConfigError(
      'The http.proxy setting is not a valid URL. Write it as http://host:port ' +
        '(or http://user:password@host:port).',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(
      `The http.proxy setting must start with http:// or https://, not ${url.protocol}// ` +
        '(SOCKS proxies are not supported).',
    );
  }
}

function hasProxyEnvironment(): boolean {
  const env = process.env;
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/**
 * The transport for the given proxy settings. An unusable proxy setting does not throw here:
 * every request then fails as a network failure whose message says what to fix, so the
 * problem reaches the user through the usual failure path and clears when the setting does.
 */
export function createUndiciTransport(proxy: ProxySettings = {}): HttpTransport {
  let dispatcher: Dispatcher;
  try {
    dispatcher = createDispatcher(proxy);
  } catch (err) {
    if (!(err instanceof ProxyConfigError)) throw err;
    const failure = new TransportFailureError('network', err.message);
    return { postJson: () => Promise.reject(failure), close: () => Promise.resolve() };
  }
  return {
    postJson: (url, body, options) => post(dispatcher, url, body, options),
    close: () => dispatcher.close(),
  };
}

async function post(
  dispatcher: Dispatcher,
  url: string,
  body: string,
  options: PostOptions,
): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const reply = await request(url, {
      method: 'POST',
      dispatcher,
      body,
      headers: { 'content-type': 'application/json' },
      signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    return { status: reply.statusCode, body: await reply.body.text() };
  } catch (err) {
    throw toFailure(err, timeout.aborted, options.signal?.aborted ?? false);
  }
}

function toFailure(err: unknown, timedOut: boolean, cancelled: boolean): TransportFailureError {
  const code = (err as { code?: string }).code ?? '';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = redact([code, (err as Error).message, cause?.code].filter(Boolean).join(' '));
  if (cancelled) return new TransportFailureError('aborted', 'cancelled');
  if (timedOut || TIMEOUT_CODES.has(code)) return new TransportFailureError('timeout', detail);
  return new TransportFailureError('network', detail);
}
