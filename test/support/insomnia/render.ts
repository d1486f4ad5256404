// What the app does to a request around the script and the plugins: folder inheritance, the render
// context, rendering. From Kong/insomnia packages/insomnia/src/network/network.ts (fetchRequestData,
// getOrInheritAuthentication, getOrInheritHeaders) and common/render.ts (buildRenderContext,
// getRenderedRequestAndContext), 10.1.1 and the newest sources in the store.
import { render } from './objects';

/**
 * '10': Kong/insomnia 10.1.1 (11.x was not read as a whole: test/clients/insomnia.md).
 * 'newest': the newest sources in the store (12.5.0-beta and the development line after it): the
 * script sandbox, new URL() in smartEncodeUrl, merged folder headers, plugins in a separate window.
 */
export type InsomniaVersion = '10' | 'newest';

export interface Auth {
  type?: string;
  token?: string;
  prefix?: string;
  disabled?: boolean;
}

export interface InsomniaHeader {
  name: string;
  value: string;
  disabled?: boolean;
}

export interface InsomniaRequest {
  _id?: string;
  url: string;
  method: string;
  headers?: InsomniaHeader[];
  /** The Params tab. */
  parameters?: { name: string; value: string; disabled?: boolean }[];
  pathParameters?: { name: string; value: string }[];
  body: { mimeType?: string; text?: string; params?: { name: string; value: string }[]; fileName?: string };
  authentication?: Auth;
  /** "Automatically encode special characters in URL" (on unless false). */
  settingEncodeUrl?: boolean;
  preRequestScript?: string;
}

/** A folder (request group): what a request inherits from it. */
export interface Folder {
  name?: string;
  environment?: Record<string, unknown>;
  headers?: InsomniaHeader[];
  authentication?: Auth;
  preRequestScript?: string;
}

export interface InsomniaWorkspace {
  /** The active global environment. */
  globals?: Record<string, unknown>;
  /** The collection's base environment. */
  baseEnvironment?: Record<string, unknown>;
  /** The active sub environment. */
  environment?: Record<string, unknown>;
  /** The folders the request is in, outermost first. */
  folders?: Folder[];
}

export interface RenderedRequest {
  _id: string;
  url: string;
  method: string;
  headers: { name: string; value: string }[];
  parameters: { name: string; value: string }[];
  body: InsomniaRequest['body'];
  authentication: Auth;
  settingEncodeUrl: boolean;
}

const enabledAuth = (auth?: Auth): auth is Auth => !!auth && typeof auth.type === 'string' && auth.disabled !== true;

/**
 * network.ts getOrInheritAuthentication and getOrInheritHeaders, applied before the script runs
 * (fetchRequestData): the closest folder's enabled auth when the request has none enabled, else
 * {type: 'none'}; folder headers, outermost first, before the request's. 10.x keeps every header as a
 * line of its own; the newest sources drop disabled ones, join repeated names with ", " (except a few
 * single-value headers such as Content-Type, where the last wins) and sort them by name.
 */
export function inherit(request: InsomniaRequest, folders: Folder[], version: InsomniaVersion): InsomniaRequest {
  const closest = [...folders].reverse().find((f) => enabledAuth(f.authentication));
  const authentication = enabledAuth(request.authentication) ? request.authentication : closest ? closest.authentication : { type: 'none' };
  const all = [...folders.flatMap((f) => f.headers ?? []), ...(request.headers ?? [])];
  if (version === '10') return { ...request, authentication, headers: all };
  const single = [
    'proxy-authorization',
    'content-length',
    'content-type',
    'content-encoding',
    'content-location',
    'connection',
    'host',
    'upgrade',
    'range',
    'trailer',
  ];
  const merged = new Map<string, { name: string; value: string }>();
  for (const { name, value, disabled } of all) {
    if (disabled || !name.trim()) continue;
    const key = name.toLowerCase();
    const before = merged.get(key);
    merged.set(key, { name, value: before && !single.includes(key) ? `${before.value}, ${value}` : value });
  }
  const headers = [...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, h]) => h);
  return { ...request, authentication, headers };
}

function renderValue(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    try {
      return render(value, { ...context, _: context });
    } catch {
      return value; // KEEP_ON_ERROR: an environment value that does not render stays as written
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, context)]));
  return value;
}

/**
 * render.ts buildRenderContext: global, base, sub and folder environments (outermost first) merged in that
 * order, nested objects merged key by key, then every value rendered against the whole (three passes, a
 * value that fails to render kept as written). What a plugin's getEnvironmentVariable returns.
 */
export function renderContext(ws: InsomniaWorkspace): Record<string, unknown> {
  const merge = (into: Record<string, unknown>, from: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(from)) {
      const before = into[key];
      if (value && typeof value === 'object' && !Array.isArray(value) && before && typeof before === 'object' && !Array.isArray(before))
        into[key] = merge({ ...(before as Record<string, unknown>) }, value as Record<string, unknown>);
      else into[key] = value;
    }
    return into;
  };
  const layers = [ws.globals, ws.baseEnvironment, ws.environment, ...(ws.folders ?? []).map((f) => f.environment)];
  let context = layers.reduce<Record<string, unknown>>((into, layer) => merge(into, layer ?? {}), {});
  for (let pass = 0; pass < 3; pass++) context = renderValue(context, context) as Record<string, unknown>;
  return context;
}

/**
 * render.ts getRenderedRequestAndContext after the script: every field rendered (an undefined variable
 * throws), disabled parameters and headers dropped, disabled auth emptied, http:// added when the URL
 * names no scheme, /:name path parameters replaced by encodeURIComponent(value).
 */
export function renderRequest(r: InsomniaRequest, context: Record<string, unknown>): RenderedRequest {
  const ctx = { ...context, _: context };
  let url = render(r.url, ctx).trim();
  if (url.indexOf('://') < 0) url = `http://${url}`;
  url = url.replace(/\/:[^/?#:]+/g, (m) => {
    const p = r.pathParameters?.find((x) => x.name === m.slice(2));
    return p && p.value ? `/${encodeURIComponent(render(p.value, ctx))}` : m;
  });
  const auth = r.authentication ?? {};
  return {
    _id: r._id ?? 'req_1',
    url,
    method: r.method,
    headers: (r.headers ?? []).filter((h) => !h.disabled).map((h) => ({ name: render(h.name, ctx), value: render(h.value, ctx) })),
    parameters: (r.parameters ?? []).filter((p) => !p.disabled).map((p) => ({ name: render(p.name, ctx), value: render(p.value, ctx) })),
    body: r.body.text !== undefined ? { ...r.body, text: render(r.body.text, ctx) } : { ...r.body },
    authentication: auth.disabled ? {} : auth.type === 'bearer' ? { ...auth, token: render(auth.token ?? '', ctx) } : { ...auth },
    settingEncodeUrl: r.settingEncodeUrl !== false,
  };
}
