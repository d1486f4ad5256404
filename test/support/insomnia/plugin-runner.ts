// How Insomnia runs request hooks between rendering and sending. From Kong/insomnia packages/insomnia/src/
// plugins/context/request.ts (context.request), plugins/context/app.ts (context.app.alert), plugins/index.ts
// (getRequestHooks: the built-in default-headers hook first, then every plugin's hooks in the order the
// plugins folder lists them), network/network.ts (_applyRequestPluginHooks, tryToTransformRequestWithPlugins);
// newest: network/apply-default-headers.ts (DEFAULT_HEADERS applied before the hooks), plugins/invoke-method.ts
// (hooks run in the plugin window; a throw becomes "[plugin=<name>] <message>").
import {
  type InsomniaRequest,
  type InsomniaVersion,
  type InsomniaWorkspace,
  inherit,
  type RenderedRequest,
  renderContext,
  renderRequest,
} from './render';
import { type Sent, sendOnWire } from './sender';

export type RequestHook = (context: any) => Promise<void> | void;

export interface Outcome {
  /** What the app shows instead of a response when the request is not sent. */
  error?: string;
  /** The request as it went out (URL after encoding, header lines), when it did. */
  sent?: Sent;
  /** The request as the last hook left it (for what a hook saw or changed). */
  request?: RenderedRequest;
  status?: number;
  logs: string[];
  /** Dialogs a hook opened with context.app.alert. */
  alerts: { title: string; message?: string }[];
}

const sameName = (r: RenderedRequest, name: string) => r.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase());

/** plugins/context/request.ts over the rendered request (the mutators write to it). */
export function requestContext(r: RenderedRequest, context: Record<string, unknown>) {
  const request = {
    getId: () => r._id,
    // The rendered URL only: the Params tab's parameters are added when the request is sent.
    getUrl: () => r.url,
    setUrl: (url: string) => void (r.url = url),
    getMethod: () => r.method,
    setMethod: (method: string) => void (r.method = method),
    getEnvironmentVariable: (name: string) => context[name],
    getEnvironment: () => context,
    settingEncodeUrl: (enabled: boolean) => void (r.settingEncodeUrl = enabled),
    // The last of a repeated name; '' for an empty value; null when absent.
    getHeader: (name: string) => {
      const found = sameName(r, name);
      return found.length ? found[found.length - 1].value || '' : null;
    },
    getHeaders: () => r.headers.map((h) => ({ name: h.name, value: h.value })),
    hasHeader: (name: string) => request.getHeader(name) !== null,
    removeHeader: (name: string) => void (r.headers = r.headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase())),
    // Changes the first of that name in place, or appends.
    setHeader: (name: string, value: string) => {
      const found = sameName(r, name)[0];
      if (found) found.value = value;
      else r.headers.push({ name, value });
    },
    addHeader: (name: string, value: string) => void (sameName(r, name).length || r.headers.push({ name, value })),
    getParameter: (name: string) => {
      const found = r.parameters.filter((p) => p.name === name);
      return found.length ? found[found.length - 1].value || '' : null;
    },
    getParameters: () => r.parameters.map((p) => ({ name: p.name, value: p.value })),
    removeParameter: (name: string) => void (r.parameters = r.parameters.filter((p) => p.name !== name)),
    getBody: () => r.body,
    setBody: (body: RenderedRequest['body']) => void (r.body = body),
    getAuthentication: () => r.authentication,
  };
  return request;
}

/** The built-in hook (plugins/index.ts, 10.x) or step (apply-default-headers.ts, newest): DEFAULT_HEADERS from the environment. */
function applyDefaultHeaders(r: RenderedRequest, context: Record<string, unknown>): void {
  const defaults = context.DEFAULT_HEADERS;
  if (!defaults || typeof defaults !== 'object' || Array.isArray(defaults)) return;
  for (const [name, value] of Object.entries(defaults)) {
    if (sameName(r, name).length) continue;
    if (value === 'null') r.headers = r.headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase());
    else r.headers.push({ name, value: String(value) });
  }
}

export interface HookOptions {
  version?: InsomniaVersion;
  /** The plugin's package name (what the newest sources put in a hook's error). */
  pluginName?: string;
}

/** Runs the hooks as the app does, then sends unless one threw. */
export async function applyHooksAndSend(
  rendered: RenderedRequest,
  context: Record<string, unknown>,
  hooks: RequestHook[],
  options: HookOptions = {},
): Promise<Outcome> {
  const version = options.version ?? '10';
  const logs: string[] = [];
  const alerts: Outcome['alerts'] = [];
  const r = structuredClone(rendered);
  const app = { alert: async (title: string, message?: string) => void alerts.push({ title, message }) };
  applyDefaultHeaders(r, context); // 10.x: the first hook; newest: before the hooks. The same for the hooks that follow.
  const original = { error: console.error, log: console.log, warn: console.warn };
  const capture = (...a: unknown[]) => void logs.push(a.map(String).join(' '));
  Object.assign(console, { error: capture, log: capture, warn: capture });
  try {
    for (const hook of hooks) await hook({ request: requestContext(r, context), app });
  } catch (e: any) {
    const error =
      version === '10'
        ? `Failed to transform request with plugins: ${r._id}`
        : `[plugin=${options.pluginName ?? 'insomnia-plugin-dfns-signer'}] ${e?.message ?? e}`;
    return { error, logs, alerts, request: r };
  } finally {
    Object.assign(console, original);
  }
  try {
    const { sent, status } = await sendOnWire(r, version);
    return { sent, status, logs, alerts, request: r };
  } catch (e: any) {
    return { error: `Error: ${e?.message ?? e}`, logs, alerts, request: r };
  }
}

/** Renders `request` in `ws` (folders inherited, environments merged), runs the plugins' request hooks, sends. */
export async function runRequestHook(
  hook: RequestHook | RequestHook[],
  request: InsomniaRequest,
  ws: InsomniaWorkspace,
  options: HookOptions = {},
): Promise<Outcome> {
  const version = options.version ?? '10';
  const context = renderContext(ws);
  const rendered = renderRequest(inherit(request, ws.folders ?? [], version), context);
  return applyHooksAndSend(rendered, context, Array.isArray(hook) ? hook : [hook], options);
}
