// Insomnia, which no registry installs, reproduced from its sources (Kong/insomnia, read on GitHub) far
// enough to run dist/dfns-signer.js as a pre-request script and the plugin as a request hook against the
// emulator, the way the app would, in two versions (render.ts InsomniaVersion): '10' (10.1.1) and 'newest'.
// Each part names the file it follows:
//  - insomnia/render.ts: folder inheritance (auth, headers), the render context a plugin reads, rendering;
//  - insomnia/objects.ts: the `insomnia` object of scripts;
//  - insomnia/script-runner.ts: script wrappers, the folder/request join, the errors the app shows;
//  - insomnia/plugin-runner.ts: the plugin context, default headers, hook order, the errors the app shows;
//  - insomnia/sender.ts: what goes on the wire (URL encoding, header lines, body);
//  - insomnia/checker.cjs: the newest sources' script checker (scripting/sandbox.ts).
// Simplified, and said so where it matters: Nunjucks is reduced to {{ name }} / {{ a.b }} lookups
// (template tags throw, as Insomnia's replaceIn does for tags it cannot render); the async-task
// monitor is not reproduced (the bundle awaits all its work); the signer's own calls go out with fetch.
export { Header, HeaderList, pasteIntoScriptEditor } from './insomnia/objects';
export type { HookOptions, Outcome, RequestHook } from './insomnia/plugin-runner';
export { applyHooksAndSend, requestContext, runRequestHook } from './insomnia/plugin-runner';
export type { Auth, Folder, InsomniaRequest, InsomniaVersion, InsomniaWorkspace, RenderedRequest } from './insomnia/render';
export { inherit, renderContext, renderRequest } from './insomnia/render';
export type { CheckResult, ScriptOptions } from './insomnia/script-runner';
export { checkScript, checkScriptDetails, joinScripts, runPreRequestScript } from './insomnia/script-runner';
export type { Sent } from './insomnia/sender';
export { finalUrl, flexibleEncodeComponent, headerLines, sendOnWire, smartEncodeUrl } from './insomnia/sender';
