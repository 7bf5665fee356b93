import * as path from 'node:path';
import * as vscode from 'vscode';
import { BotApiClient } from '../core/bot-api';
import type { HttpTransport, ProxySettings } from '../core/transport';
import type { Settings } from './settings';

type TransportModule = typeof import('../core/undici-transport');

/**
 * Makes Bot API clients on demand. The HTTP stack (undici, bundled as dist/transport.js) is
 * loaded on the first request, not at activation, and rebuilt when the proxy settings change.
 */
export class TelegramClients implements vscode.Disposable {
  private transport: HttpTransport | undefined;
  private proxyKey = '';

  constructor(private readonly settings: Settings) {}

  client(token: string): BotApiClient {
    return new BotApiClient({
      token,
      baseUrl: this.settings.apiBaseUrl(),
      transport: this.currentTransport(),
    });
  }

  private currentTransport(): HttpTransport {
    const proxy = readProxySettings();
    const key = JSON.stringify(proxy);
    if (!this.transport || key !== this.proxyKey) {
      void this.transport?.close();
      this.transport = loadTransportModule().createUndiciTransport(proxy);
      this.proxyKey = key;
    }
    return this.transport;
  }

  dispose(): void {
    void this.transport?.close();
    this.transport = undefined;
  }
}

function readProxySettings(): ProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  return {
    proxyUrl: http.get<string>('proxy', '') || undefined,
    strictSsl: http.get<boolean>('proxyStrictSSL', true),
    useEnvironment: true,
  };
}

function loadTransportModule(): TransportModule {
  // A computed path keeps esbuild from inlining undici into the main bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, 'transport.js')) as TransportModule;
}
