/**
 * The HTTP seam of the Bot API client. The real implementation (undici) lives in
 * `undici-transport.ts` and is loaded only when the first request is made, so that
 * activating the extension does not pay for the HTTP stack.
 */

export interface HttpReply {
  status: number;
  body: string;
}

export interface HttpTransport {
  /** POSTs a JSON body and returns the whole reply. Rejects only when no reply came. */
  postJson(url: string, body: string, options: PostOptions): Promise<HttpReply>;
  /** Releases connections; later calls may fail. */
  close(): Promise<void>;
}

export interface PostOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What failed in the transport, in terms the client turns into a TelegramTransportError. */
export class TransportFailureError extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'aborted',
    message: string,
  ) {
    super(message);
    this.name = 'TransportFailureError';
  }
}

export interface ProxySettings {
  /** An explicit proxy URL (VS Code's `http.proxy`); empty means none. */
  proxyUrl?: string;
  /** Whether the proxy's (and the server's) TLS certificate must be valid. */
  strictSsl?: boolean;
  /** Use HTTP(S)_PROXY / NO_PROXY from the environment when no explicit proxy is given. */
  useEnvironment?: boolean;
}

/**
 * The proxy setting cannot be used. The message names the setting and what is wrong, but
 * not the value: a proxy URL may carry a user name and password.
 */
export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
}
