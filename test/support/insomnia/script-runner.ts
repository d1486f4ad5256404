// How Insomnia runs pre-request scripts, and what the app does with the result. From Kong/insomnia
// packages/insomnia/src/network/network.ts (tryToExecutePreRequestScript: the folders' and the request's
// scripts joined, outermost first, each inside `const fnN = async ()=>{ … } await fnN();`;
// tryToExecuteScript: "Script executor returns error: …"), hidden-window.ts (10.x: AsyncFunction, sloppy,
// an error becomes "message: <message>; stack: <stack>"), entry.hidden-window.ts + scripting/run-script.ts
// (newest: strict IIFE, masked globals, the scripting/sandbox.ts check that insomnia-harness.checker.cjs
// reimplements; an error becomes "Error from Pre-request or after-response script:\n<message>\n\nStack: <stack>"),
// ui/routes/request.tsx (skipRequest; "Execute pre-request script failed: …"), insomnia-sdk insomnia.ts
// (initInsomniaObject) and request.ts (mergeRequests).
import { execFileSync } from 'node:child_process';
import {
  DEFAULT_SEND_SETTINGS,
  Environment,
  Header,
  HeaderList,
  RequestBody,
  type ScriptResponse,
  type ScriptUrl,
  scriptUrl,
  sendRequest,
  Variables,
} from './objects';
import { applyHooksAndSend, type Outcome, type RequestHook } from './plugin-runner';
import { type InsomniaRequest, type InsomniaVersion, type InsomniaWorkspace, inherit, renderContext, renderRequest } from './render';

class ScriptRequest {
  url: ScriptUrl;
  method: string;
  headers: HeaderList;
  body?: RequestBody;
  auth: { toJSON(): { type: string; bearer?: { key: string; value: string }[] } };
  pathParameters: { name: string; value: string }[];
  constructor(r: InsomniaRequest, version: InsomniaVersion) {
    this.url = scriptUrl(version, r.url);
    this.url.addQueryParams((r.parameters ?? []).filter((p) => !p.disabled).map((p) => ({ key: p.name, value: p.value })));
    this.method = r.method;
    this.headers = new HeaderList((r.headers ?? []).map((h) => new Header({ key: h.name, value: h.value, disabled: h.disabled })));
    // toScriptRequestBody: text → raw; a form → urlencoded; a file → file.
    const b = r.body;
    this.body = new RequestBody(
      b.text !== undefined
        ? { mode: 'raw', raw: b.text }
        : b.fileName
          ? { mode: 'file' }
          : b.params
            ? { mode: 'urlencoded' }
            : { mode: undefined },
    );
    // insomnia-sdk auth.ts toPreRequestAuth: none is noauth; a Bearer auth's token, prefix and disabled as key-value
    // pairs, unrendered (other types keep their type here, their options not modelled).
    const a = r.authentication;
    const bearer = a?.type === 'bearer' && [
      { key: 'disabled', value: a.disabled ? 'true' : 'false' },
      { key: 'token', value: a.token || '' },
      { key: 'prefix', value: a.prefix || '' },
    ];
    this.auth = {
      toJSON: () => (!a?.type || a.type === 'none' ? { type: 'noauth' } : bearer ? { type: 'bearer', bearer } : { type: a.type }),
    };
    this.pathParameters = r.pathParameters ?? [];
  }
  addHeader(h: { key: string; value: string }) {
    this.headers.add(new Header(h));
  }
  /** request.ts upsertHeader: drop headers with the same key (case-sensitive), append. */
  upsertHeader(h: { key: string; value: string }) {
    this.headers = new HeaderList(this.headers.filter((existing) => existing.key !== h.key));
    this.headers.append(new Header(h));
  }
}

export interface ScriptOptions {
  version: InsomniaVersion;
  /** Newest: Settings > Scripting > "Enable script sandbox" (default on). */
  sandbox?: boolean;
  /** Newest: Settings > Scripting > strict mode (scriptStrictModeEnabled, default on). */
  strict?: boolean;
  /** Preferences > Request timeout (settings.timeout, ms): the script's limit, and curl's for its sendRequest calls. */
  timeoutMs?: number;
  /** Preferences > Follow redirects (settings.followRedirects, default on), for the script's sendRequest calls too. */
  followRedirects?: boolean;
  /** Request hooks of installed plugins, run after rendering. */
  hooks?: RequestHook[];
}

/** network.ts tryToExecutePreRequestScript: each script in its own async function, outermost folder first, the request's last. */
export function joinScripts(scripts: string[]): string {
  return scripts.map((script, i) => `const fn${i} = async ()=>{\n        ${script}\n      }\n      await fn${i}();\n  `).join('\n');
}

/**
 * Runs the pre-request scripts of `request` (its folders' in `ws.folders`, then its own) as the app does,
 * then renders, runs the request hooks and sends, unless the app would not. `script`, when given, is the
 * script of the folder that holds the request (after any in `ws.folders`).
 */
export async function runPreRequestScript(
  script: string | undefined,
  request: InsomniaRequest,
  ws: InsomniaWorkspace,
  options: ScriptOptions,
): Promise<Outcome> {
  const { version } = options;
  const folders = [...(ws.folders ?? []), ...(script === undefined ? [] : [{ name: 'Dfns', preRequestScript: script }])];
  const inherited = inherit(request, folders, version);
  const scripts = [...folders.map((f) => f.preRequestScript), request.preRequestScript].filter((s): s is string => !!s);
  const logs: string[] = [];
  const fail = (error: string): Outcome => ({ error: `Execute pre-request script failed: ${error}`, logs, alerts: [] });
  const scriptConsole = Object.fromEntries(
    ['log', 'warn', 'error', 'info'].map((k) => [k, (...a: unknown[]) => void logs.push(a.map(String).join(' '))]),
  );
  const folderData = Object.assign({}, ...folders.map((f) => f.environment ?? {}));
  const scopes = {
    local: new Environment(),
    ...(version === '10' ? {} : { folder: new Environment(folderData) }),
    iterationData: new Environment(),
    environment: new Environment(ws.environment),
    base: new Environment(ws.baseEnvironment),
    globals: new Environment(ws.globals),
  };
  let skip = false;
  const scriptRequest = new ScriptRequest(inherited, version);
  const insomnia = {
    environment: scopes.environment,
    baseEnvironment: scopes.base,
    collectionVariables: scopes.base,
    globals: scopes.globals,
    iterationData: scopes.iterationData,
    variables: new Variables(scopes),
    request: scriptRequest,
    execution: { skipRequest: () => void (skip = true), location: [] as string[] },
    sendRequest: (req: unknown, cb?: (err?: unknown, res?: ScriptResponse) => void) =>
      sendRequest(version, req, cb, {
        followRedirects: options.followRedirects ?? DEFAULT_SEND_SETTINGS.followRedirects,
        timeout: options.timeoutMs ?? DEFAULT_SEND_SETTINGS.timeout,
      }),
  };
  const joined = joinScripts(scripts);
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
  const bridge = { resetAsyncTasks() {}, stopMonitorAsyncTasks() {}, asyncTasksAllSettled: async () => {} };
  let run: () => Promise<unknown>;
  if (version === '10') {
    // hidden-window.ts (window is the hidden window's global there; a parameter here)
    const fn = new AsyncFunction(
      'insomnia',
      'require',
      'console',
      'eval',
      '_',
      'setTimeout',
      'setImmediate',
      'queueMicrotask',
      'process',
      'window',
      `\n      const $ = insomnia;\n      window.bridge.resetAsyncTasks(); // exclude unnecessary ones\n      ${joined};\n      window.bridge.stopMonitorAsyncTasks();  // the next one should not be monitored\n      await window.bridge.asyncTasksAllSettled();\n      return insomnia;`,
    );
    const requireInterceptor = (name: string) => {
      throw new Error(`Cannot find module '${name}'`);
    };
    run = () =>
      fn(
        insomnia,
        requireInterceptor,
        scriptConsole,
        // biome-ignore lint/complexity/noCommaOperator: an indirect eval, as Insomnia's script runner makes it
        // biome-ignore lint/security/noGlobalEval: the harness evaluates the script as Insomnia does
        (code: string) => (0, eval)(code),
        undefined,
        setTimeout,
        undefined,
        undefined,
        undefined,
        { bridge },
      );
  } else {
    // run-script.ts + sandbox.ts: the AST check of the joined script, then masked globals and (by default) strict mode.
    if (options.sandbox !== false) {
      const violation = checkScript(joined);
      if (violation) return fail(`Script executor returns error: ${violation}`);
    }
    const masks = [
      'require',
      'window',
      'eval',
      'globalThis',
      'global',
      'Function',
      'process',
      'setImmediate',
      'queueMicrotask',
      'Proxy',
      'Reflect',
      'WebAssembly',
    ];
    const maskValues = [
      () => {
        throw new Error('require is not allowed');
      },
      { bridge },
      () => {
        throw new Error('eval is not allowed');
      },
      ...masks.slice(3).map(() => undefined),
    ];
    const body = [
      '__bridgeReset__();',
      'await (async function() {',
      ...(options.strict === false ? [] : ["  'use strict';"]),
      '  const $ = insomnia;',
      `  ${joined}`,
      '})();',
      'await __waitForAllTestsDone__();',
      '__bridgeStop__();',
      'await __bridgeSettle__();',
      'return insomnia;',
    ].join('\n');
    const fn = new AsyncFunction(
      'insomnia',
      'console',
      '_',
      'setTimeout',
      '__waitForAllTestsDone__',
      '__bridgeReset__',
      '__bridgeStop__',
      '__bridgeSettle__',
      ...masks,
      body,
    );
    run = () =>
      fn(
        insomnia,
        scriptConsole,
        undefined,
        setTimeout,
        async () => {},
        () => {},
        () => {},
        async () => {},
        ...maskValues,
      );
  }
  if (scripts.length) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timedOut = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), timeoutMs).unref());
    try {
      if ((await Promise.race([run(), timedOut])) === 'timeout')
        return fail('Script executor returns error: Timeout: Running script took too long');
    } catch (e: any) {
      if (version === '10') return fail(`Script executor returns error: ${e?.message ? `message: ${e.message}; stack: ${e.stack}` : e}`);
      const message = e?.message ? `Error from Pre-request or after-response script:\n${e.message}` : String(e);
      return fail(`Script executor returns error: ${message}\n\n${e?.stack ? `Stack: ${e.stack}` : ''}`);
    }
  }
  // network.ts savePatchesMadeByScript, once the scripts ran without error: what they set in the active
  // environment, the base environment and the globals is saved, so the next request sees it.
  for (const [saved, scope] of [
    [ws.environment, scopes.environment],
    [ws.baseEnvironment, scopes.base],
    [ws.globals, scopes.globals],
  ] as const) {
    if (!saved) continue;
    for (const key of Object.keys(saved)) delete saved[key];
    Object.assign(saved, scope.toObject());
  }
  if (skip) return { error: 'Request was cancelled by pre-request script', logs, alerts: [] };
  // request.ts mergeRequests: URL and Params tab from the Url object, body text from raw, headers from the list.
  const { url, parameters } = scriptRequest.url.merged();
  const merged: InsomniaRequest = {
    ...inherited,
    url,
    method: scriptRequest.method,
    parameters: parameters.map((p) => ({ name: p.key, value: p.value })),
    headers: scriptRequest.headers.map((h) => ({ name: h.key, value: h.value, disabled: h.disabled })),
    body: { ...inherited.body, text: scriptRequest.body?.mode === 'raw' ? scriptRequest.body.raw : inherited.body.text },
  };
  const context = renderContext(ws);
  let rendered: ReturnType<typeof renderRequest>;
  try {
    rendered = renderRequest(merged, context);
  } catch (e: any) {
    return { error: String(e?.message ?? e), logs, alerts: [] };
  }
  const outcome = await applyHooksAndSend(rendered, context, options.hooks ?? [], { version });
  return { ...outcome, logs: [...logs, ...outcome.logs] };
}

// ---------- the newest sources' script checker ----------

const CHECKER = new URL('./checker.cjs', import.meta.url).pathname;

export interface CheckResult {
  /** The error sandbox.ts throws (the first violation it meets), undefined when the script passes. */
  violation?: string;
  /** Every violation, by rule: what a user would have to switch off. */
  counts: Record<string, number>;
  /** Which acorn parsed it. */
  parser: string;
}

/** sandbox.ts checkSandboxViolations with the default settings (every rule on, unresolvable properties blocked). */
export function checkScriptDetails(script: string): CheckResult {
  const out = execFileSync(process.execPath, [CHECKER], { input: script, maxBuffer: 16 << 20 }).toString();
  return JSON.parse(out);
}

export function checkScript(script: string): string | undefined {
  return checkScriptDetails(script).violation;
}
