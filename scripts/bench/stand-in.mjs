// A stand-in for the `vscode` module, for the benchmark only: enough of the API for the
// production bundle (dist/extension.js) to activate, register its commands and run them in
// plain Node. It is not VS Code: figures measured with it say what the extension's own code
// costs, not what the editor adds around it. Plain JavaScript, so the activation child can run
// in bare `node` without a TypeScript loader on the require path.
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = join(import.meta.dirname, '..', '..');

/** An event in VS Code's shape: subscribe with `event(listener)`, get a disposable back. */
function emitter() {
  const listeners = new Set();
  const event = (listener) => {
    listeners.add(listener);
    return { dispose: () => listeners.delete(listener) };
  };
  const fire = (value) => [...listeners].forEach((listener) => listener(value));
  return { event, fire };
}

class Disposable {
  constructor(fn) {
    this.fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
  dispose() {
    this.fn?.();
  }
}

/** Fails loudly when the bundle reaches for a part of the API this stand-in lacks. */
function strict(name, target) {
  return new Proxy(target, {
    get(object, prop) {
      if (typeof prop === 'symbol' || prop in object || prop === 'then') return object[prop];
      throw new Error(`the benchmark's vscode stand-in has no ${name}.${String(prop)}`);
    },
  });
}

/** The manifest's defaults for every `telegramNotifier.*` setting. */
function manifestDefaults() {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const properties = manifest.contributes?.configuration?.properties ?? {};
  return new Map(Object.entries(properties).map(([key, spec]) => [key, spec.default]));
}

/**
 * Builds the stand-in API and an extension context.
 * @param {{ storageDir: string, settings?: Record<string, unknown> }} options `settings` are
 *   user (global) values keyed by full name, e.g. `telegramNotifier.apiBaseUrl`.
 */
export function createStandIn(options) {
  const defaults = manifestDefaults();
  const user = new Map(Object.entries(options.settings ?? {}));
  const commands = new Map();
  /** Context keys set through the built-in `setContext` command (the walkthrough's facts). */
  const contextKeys = new Map();
  const secrets = new Map();
  const memento = new Map();
  const notices = [];
  const logLines = [];
  const configChanged = emitter();
  const settingWritten = emitter();
  const events = {
    startTask: emitter(),
    endTaskProcess: emitter(),
    endTask: emitter(),
    startDebug: emitter(),
    endDebug: emitter(),
    startShell: emitter(),
    endShell: emitter(),
  };

  const getConfiguration = (section = '') => {
    const full = (key) => (section ? `${section}.${key}` : key);
    const value = (key) => (user.has(full(key)) ? user.get(full(key)) : defaults.get(full(key)));
    return strict('WorkspaceConfiguration', {
      get: (key, fallback) => value(key) ?? fallback,
      has: (key) => user.has(full(key)) || defaults.has(full(key)),
      inspect: (key) => ({
        key: full(key),
        defaultValue: defaults.get(full(key)),
        globalValue: user.get(full(key)),
      }),
      update: async (key, newValue) => {
        if (newValue === undefined) user.delete(full(key));
        else user.set(full(key), newValue);
        settingWritten.fire({ key: full(key), value: newValue });
        configChanged.fire({
          affectsConfiguration: (name) => full(key) === name || full(key).startsWith(`${name}.`),
        });
      },
    });
  };

  const outputChannel = (name) => {
    const line = (level) => (message) => logLines.push(`${level} ${message}`);
    return strict('LogOutputChannel', {
      name,
      trace: line('trace'),
      debug: line('debug'),
      info: line('info'),
      warn: line('warn'),
      error: line('error'),
      append: line('text'),
      appendLine: line('text'),
      show: () => undefined,
      hide: () => undefined,
      clear: () => undefined,
      dispose: () => undefined,
    });
  };

  const notice = (level) => async (message) => {
    notices.push(`${level}: ${message}`);
    return undefined;
  };

  const quickPick = () =>
    strict('QuickPick', {
      items: [],
      selectedItems: [],
      onDidAccept: () => new Disposable(),
      onDidHide: () => new Disposable(),
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
    });

  const vscode = {
    Disposable,
    ThemeColor: class ThemeColor {
      constructor(id) {
        this.id = id;
      }
    },
    Uri: {
      parse: (text) => ({ toString: () => text }),
      file: (path) => ({ fsPath: path, toString: () => pathToFileURL(path).href }),
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    l10n: strict('l10n', {
      // The stand-in has no language bundle: English, with `{0}`… (or `{name}` from an object)
      // replaced by the arguments, as VS Code does when no translation applies.
      t: (message, ...args) => {
        const text = typeof message === 'string' ? message : message.message;
        const values = typeof message === 'string' ? args : (message.args ?? []);
        const named = values.length === 1 && typeof values[0] === 'object' ? values[0] : values;
        return text.replace(/\{([^{}]+)\}/g, (whole, key) =>
          key in Object(named) ? String(named[key]) : whole,
        );
      },
    }),
    commands: strict('commands', {
      registerCommand: (name, handler) => {
        commands.set(name, handler);
        return new Disposable(() => commands.delete(name));
      },
      executeCommand: async (name, ...args) => {
        if (name === 'setContext') return void contextKeys.set(args[0], args[1]);
        const handler = commands.get(name);
        if (!handler) throw new Error(`command ${name} not found`);
        return handler(...args);
      },
    }),
    workspace: strict('workspace', {
      name: 'bench',
      workspaceFolders: undefined,
      workspaceFile: undefined,
      getConfiguration,
      getWorkspaceFolder: () => undefined,
      onDidChangeConfiguration: configChanged.event,
      onDidChangeWorkspaceFolders: emitter().event,
    }),
    window: strict('window', {
      state: { focused: false },
      createOutputChannel: outputChannel,
      createStatusBarItem: () =>
        strict('StatusBarItem', { show: () => undefined, hide: () => undefined, dispose() {} }),
      createQuickPick: quickPick,
      showInformationMessage: notice('info'),
      showWarningMessage: notice('warn'),
      showErrorMessage: notice('error'),
      showInputBox: async () => undefined,
      showQuickPick: async () => undefined,
      withProgress: (_options, task) =>
        task(
          { report: () => undefined },
          { isCancellationRequested: false, onCancellationRequested: () => new Disposable() },
        ),
      onDidChangeWindowState: emitter().event,
      onDidStartTerminalShellExecution: events.startShell.event,
      onDidEndTerminalShellExecution: events.endShell.event,
    }),
    tasks: strict('tasks', {
      onDidStartTask: events.startTask.event,
      onDidEndTaskProcess: events.endTaskProcess.event,
      onDidEndTask: events.endTask.event,
    }),
    debug: strict('debug', {
      registerDebugAdapterTrackerFactory: () => new Disposable(),
      onDidStartDebugSession: events.startDebug.event,
      onDidTerminateDebugSession: events.endDebug.event,
    }),
    env: strict('env', {
      clipboard: { writeText: async () => undefined, readText: async () => '' },
      openExternal: async () => true,
    }),
  };

  const secretStorage = strict('SecretStorage', {
    get: async (key) => secrets.get(key),
    store: async (key, value) => void secrets.set(key, value),
    delete: async (key) => void secrets.delete(key),
    onDidChange: emitter().event,
  });
  const context = strict('ExtensionContext', {
    subscriptions: [],
    secrets: secretStorage,
    globalState: strict('Memento', {
      get: (key, fallback) => (memento.has(key) ? memento.get(key) : fallback),
      update: async (key, value) => void memento.set(key, value),
      keys: () => [...memento.keys()],
      setKeysForSync: () => undefined,
    }),
    globalStorageUri: vscode.Uri.file(options.storageDir),
    extensionPath: repoRoot,
  });

  return {
    vscode,
    context,
    events,
    /** Fires for every setting written through `update`, with its full name and value. */
    onSettingWritten: settingWritten.event,
    contextKeys,
    notices,
    logLines,
    user,
    commandNames: () => [...commands.keys()],
  };
}

/** Makes `require('vscode')` return the stand-in, for every module loaded afterwards. */
export function installStandIn(vscode) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const entry = new Module('vscode');
  entry.filename = 'vscode';
  entry.loaded = true;
  entry.exports = vscode;
  Module._cache.vscode = entry;
}
