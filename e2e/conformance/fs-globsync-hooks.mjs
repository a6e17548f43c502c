// fs-globsync-hooks.mjs is the module resolution hook register.mjs installs:
// "fs" and "node:fs" imported by a module of @modelcontextprotocol/conformance
// resolve to fs-shim.mjs.
const shim = new URL('./fs-shim.mjs', import.meta.url).href;
const scope = '/node_modules/@modelcontextprotocol/conformance/';

export async function resolve(specifier, context, nextResolve) {
    if ((specifier === 'fs' || specifier === 'node:fs') && context.parentURL?.includes(scope)) {
        return { url: shim, shortCircuit: true };
    }
    return nextResolve(specifier, context);
}
