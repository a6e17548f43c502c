// register.mjs lets @modelcontextprotocol/conformance run on Node 20.
//
// The conformance CLI imports globSync from "fs", which Node added in 22. Run
// it as
//
//	node --import ./register.mjs node_modules/@modelcontextprotocol/conformance/dist/index.js …
//
// and imports of "fs" from inside that package resolve to fs-shim.mjs, which
// is node:fs plus a small globSync. Every other module, and every Node that
// has fs.globSync, is left alone.
import fs from 'node:fs';
import { register } from 'node:module';

if (typeof fs.globSync !== 'function') {
    register('./fs-globsync-hooks.mjs', import.meta.url);
}
