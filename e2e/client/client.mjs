#!/usr/bin/env node
// client.mjs drives an MCP server over Streamable HTTP with the official
// TypeScript SDK (@modelcontextprotocol/sdk), so that mcpauthgen's end-to-end
// tests see the server through a client we did not write.
//
// Usage:
//
//	node client.mjs --url URL [--token TOKEN] [--ops JSON]
//	node client.mjs --url URL --client-id ID --client-secret SECRET --issuer ISSUER
//	                [--scope "a b"] [--follow-scope-challenge] [--ops JSON]
//	node client.mjs --url URL --client-id ID --redirect-url URL --issuer ISSUER
//	                [--scope "a b"] [--ops JSON]
//
// With --client-id and --client-secret the client authorizes itself as the
// MCP specification has it, with the SDK's ClientCredentialsProvider (OAuth
// client_credentials): on the first 401 the SDK reads the protected
// resource metadata, discovers the authorization server (--issuer is the
// one its credentials are for), asks it for a token for the server's
// resource (RFC 8707) with --scope, and retries; on a 403
// insufficient_scope it asks for a new token and retries once. The SDK's
// provider asks again for --scope, whatever scope the challenge named;
// --follow-scope-challenge uses a provider that adds the challenged scope
// to its request instead.
//
// With --redirect-url instead of --client-secret it runs the authorization
// code flow with PKCE as a public client pre-registered at --issuer: the
// SDK builds the authorization URL and hands it to the provider's
// redirectToAuthorization, which plays the user agent (it follows the
// redirects up to --redirect-url, expecting an authorization server that
// signs its user in without a page) and keeps the code; the SDK's request
// then fails with UnauthorizedError, so the client calls
// transport.finishAuth(code) and connects or retries the operation once, as
// an application does when its redirect URI is called.
//
// Without --ops the operations are read from standard input. They are a JSON
// array; each element is an object with an "op" field:
//
//	{"op": "listTools"}                      also listResources, listResourceTemplates, listPrompts
//	{"op": "callTool", "name": "x", "args": {...}}
//	{"op": "readResource", "uri": "users://1/profile"}
//	{"op": "getPrompt", "name": "x", "args": {...}}
//	{"op": "subscribeResource", "uri": "…"}  also unsubscribeResource
//	{"op": "complete", "ref": {"type": "ref/prompt", "name": "x"}, "argument": {"name": "a", "value": "v"}}
//	{"op": "ping"}
//	{"op": "setToken", "token": "…"}        later requests carry this bearer token (null: none)
//	{"op": "discoverResourceMetadata"}      RFC 9728 discovery as the SDK does it
//	{"op": "terminateSession"}              HTTP DELETE of the session
//
// List operations follow nextCursor to the end and report every item and the
// number of pages. An operation may carry "id", echoed in its result.
//
// The output is one JSON document on standard output:
//
//	{"connect": {"ok": true, "serverInfo": …, "protocolVersion": …} | {"ok": false, "error": ERR},
//	 "results": [{"op": …, "id": …, "result": …} | {"op": …, "id": …, "error": ERR}, …],
//	 "requests": [{"method", "url", "status", "form"?}, …]}
//
// "requests" lists every HTTP request the client made (MCP, metadata,
// discovery, authorization, token), in order; "form" holds the grant_type,
// scope and resource parameters of a form body. ERR is {"name", "message", "code"?, "data"?, "http"?}; "http" is
// present when the error comes from an HTTP response that was not 2xx:
// {"status", "wwwAuthenticate", "wwwAuthenticateParams"} (the parameters as
// the SDK itself parses them). When connecting fails, operations that need a
// session fail with "not connected"; discoverResourceMetadata still runs.
//
// Exit status: 0 when the document was written (errors of operations are
// data, not failures), 2 for usage errors.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
    discoverOAuthProtectedResourceMetadata,
    extractWWWAuthenticateParams
} from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

function usage(msg) {
    process.stderr.write(`client.mjs: ${msg}\nusage: node client.mjs --url URL [--token TOKEN] [--ops JSON]\n`);
    process.exit(2);
}

let args;
try {
    args = parseArgs({
        options: {
            url: { type: 'string' },
            token: { type: 'string' },
            ops: { type: 'string' },
            'client-id': { type: 'string' },
            'client-secret': { type: 'string' },
            issuer: { type: 'string' },
            scope: { type: 'string' },
            'follow-scope-challenge': { type: 'boolean' },
            'redirect-url': { type: 'string' }
        },
        strict: true
    }).values;
} catch (err) {
    usage(err.message);
}
if (!args.url) {
    usage('--url is required');
}
if (args['client-id'] !== undefined && (args.token !== undefined || !args['client-secret'] === !args['redirect-url'] || !args.issuer)) {
    usage('--client-id needs --issuer and one of --client-secret and --redirect-url, and excludes --token');
}
const serverUrl = new URL(args.url);

let ops;
try {
    ops = JSON.parse(args.ops ?? readFileSync(0, 'utf8'));
} catch (err) {
    usage(`operations are not JSON: ${err.message}`);
}
if (!Array.isArray(ops)) {
    usage('operations must be a JSON array');
}

// lastHTTPFailure is the most recent response that was not 2xx, recorded by
// the fetch the transport uses, so that errors can report the status and
// WWW-Authenticate header the SDK saw (its errors carry only the status).
let lastHTTPFailure;

// requests is the log of every HTTP request, for the "requests" output.
const requests = [];

// lastChallengeScope is the scope of the last insufficient_scope challenge.
let lastChallengeScope;

async function recordingFetch(input, init) {
    const response = await fetch(input, init);
    const entry = { method: init?.method ?? 'GET', url: String(input instanceof Request ? input.url : input), status: response.status };
    if (init?.body instanceof URLSearchParams) {
        entry.form = {};
        for (const name of ['grant_type', 'scope', 'resource']) {
            if (init.body.has(name)) {
                entry.form[name] = init.body.getAll(name).join(' ');
            }
        }
    }
    requests.push(entry);
    if (!response.ok) {
        const params = extractWWWAuthenticateParams(response);
        if (params.error === 'insufficient_scope') {
            lastChallengeScope = params.scope;
        }
        lastHTTPFailure = {
            status: response.status,
            wwwAuthenticate: response.headers.get('www-authenticate'),
            wwwAuthenticateParams: {
                resourceMetadataUrl: params.resourceMetadataUrl?.href,
                scope: params.scope,
                error: params.error
            }
        };
    }
    return response;
}

// ScopeChallengeProvider is the SDK's ClientCredentialsProvider, except
// that a token request after an insufficient_scope challenge asks for the
// challenged scope too. The SDK's client_credentials path passes only
// clientMetadata.scope to prepareTokenRequest, not the scope the challenge
// named, so the provider has to learn it from the response itself.
class ScopeChallengeProvider extends ClientCredentialsProvider {
    prepareTokenRequest(scope) {
        const scopes = new Set((scope ?? '').split(' ').filter(Boolean));
        for (const s of (lastChallengeScope ?? '').split(' ').filter(Boolean)) {
            scopes.add(s);
        }
        return super.prepareTokenRequest([...scopes].join(' ') || undefined);
    }
}

function describeError(err) {
    const out = { name: err?.name ?? 'Error', message: String(err?.message ?? err) };
    if (err && typeof err.code === 'number') {
        out.code = err.code;
    }
    if (err && err.data !== undefined) {
        out.data = err.data;
    }
    // StreamableHTTPError's code is the HTTP status.
    if (lastHTTPFailure && err?.code === lastHTTPFailure.status) {
        out.http = lastHTTPFailure;
    }
    return out;
}

// HeadlessCodeProvider is an OAuthClientProvider for the authorization code
// flow whose "browser" is fetch: it follows the authorization server's
// redirects to the redirect URL and keeps the code it carries.
class HeadlessCodeProvider {
    constructor({ clientId, issuer, redirectUrl, scope }) {
        this._clientInfo = { client_id: clientId, issuer };
        this._redirectUrl = redirectUrl;
        this._scope = scope;
        this.code = undefined;
    }
    get redirectUrl() {
        return this._redirectUrl;
    }
    get clientMetadata() {
        return {
            client_name: 'mcpauthgen-e2e',
            redirect_uris: [this._redirectUrl],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none',
            scope: this._scope
        };
    }
    state() {
        this._state = crypto.randomUUID();
        return this._state;
    }
    clientInformation() {
        return this._clientInfo;
    }
    saveClientInformation(info) {
        this._clientInfo = info;
    }
    tokens() {
        return this._tokens;
    }
    saveTokens(tokens) {
        this._tokens = tokens;
    }
    saveCodeVerifier(v) {
        this._verifier = v;
    }
    codeVerifier() {
        return this._verifier;
    }
    async redirectToAuthorization(authorizationUrl) {
        let next = authorizationUrl.href;
        for (let i = 0; i < 10; i++) {
            const res = await recordingFetch(next, { redirect: 'manual' });
            const location = res.headers.get('location');
            if (!location) {
                throw new Error(`authorization stopped at ${next} with status ${res.status}`);
            }
            const to = new URL(location, next);
            if (to.href.startsWith(this._redirectUrl)) {
                if (to.searchParams.get('state') !== this._state) {
                    throw new Error('authorization answered another state');
                }
                if (!to.searchParams.get('code')) {
                    throw new Error(`authorization failed: ${to.searchParams.get('error')}`);
                }
                this.code = to.searchParams.get('code');
                return;
            }
            next = to.href;
        }
        throw new Error('authorization redirected more than 10 times');
    }
    takeCode() {
        const code = this.code;
        this.code = undefined;
        return code;
    }
}

const headers = {};
if (args.token !== undefined) {
    headers.Authorization = `Bearer ${args.token}`;
}
let authProvider;
if (args['redirect-url'] !== undefined) {
    authProvider = new HeadlessCodeProvider({
        clientId: args['client-id'],
        issuer: args.issuer,
        redirectUrl: args['redirect-url'],
        scope: args.scope
    });
} else if (args['client-id'] !== undefined) {
    const Provider = args['follow-scope-challenge'] ? ScopeChallengeProvider : ClientCredentialsProvider;
    authProvider = new Provider({
        clientId: args['client-id'],
        clientSecret: args['client-secret'],
        expectedIssuer: args.issuer,
        scope: args.scope
    });
}
function newTransport() {
    return new StreamableHTTPClientTransport(serverUrl, {
        authProvider,
        requestInit: { headers },
        fetch: recordingFetch,
        // A failed standalone SSE stream must not keep the process alive.
        reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 }
    });
}
function newClient() {
    const c = new Client({ name: 'mcpauthgen-e2e', version: '0.0.0' });
    c.onerror = () => {}; // transport-level noise (e.g. the SSE stream closing) is not a result
    return c;
}
let transport = newTransport();
let client = newClient();

// pendingCode returns the code of an authorization code flow the SDK just
// started, when err is how the SDK said so.
function pendingCode(err) {
    return err instanceof UnauthorizedError && authProvider instanceof HeadlessCodeProvider ? authProvider.takeCode() : undefined;
}

const output = { connect: undefined, results: [], requests };
let connected = false;
try {
    lastHTTPFailure = undefined;
    try {
        await client.connect(transport);
    } catch (err) {
        const code = pendingCode(err);
        if (code === undefined) {
            throw err;
        }
        await transport.finishAuth(code);
        transport = newTransport();
        client = newClient();
        await client.connect(transport);
    }
    connected = true;
    output.connect = {
        ok: true,
        serverInfo: client.getServerVersion(),
        protocolVersion: transport.protocolVersion,
        sessionId: transport.sessionId ?? null
    };
} catch (err) {
    output.connect = { ok: false, error: describeError(err) };
}

// listAll follows nextCursor and returns every item of a list.
async function listAll(method, field) {
    const items = [];
    let cursor;
    let pages = 0;
    do {
        const res = await client[method](cursor === undefined ? undefined : { cursor });
        pages++;
        items.push(...res[field]);
        cursor = res.nextCursor;
        if (pages > 1000) {
            throw new Error(`${method}: more than 1000 pages`);
        }
    } while (cursor);
    return { [field]: items, pages };
}

const handlers = {
    listTools: () => listAll('listTools', 'tools'),
    listResources: () => listAll('listResources', 'resources'),
    listResourceTemplates: () => listAll('listResourceTemplates', 'resourceTemplates'),
    listPrompts: () => listAll('listPrompts', 'prompts'),
    callTool: op => client.callTool({ name: op.name, arguments: op.args ?? {} }),
    readResource: op => client.readResource({ uri: op.uri }),
    getPrompt: op => client.getPrompt({ name: op.name, arguments: op.args ?? {} }),
    subscribeResource: op => client.subscribeResource({ uri: op.uri }),
    unsubscribeResource: op => client.unsubscribeResource({ uri: op.uri }),
    complete: op => client.complete({ ref: op.ref, argument: op.argument }),
    ping: () => client.ping(),
    // The transport reads requestInit.headers on every request, so this is
    // how a client refreshes its token within a session.
    setToken: async op => {
        if (op.token === undefined || op.token === null) {
            delete headers.Authorization;
        } else {
            headers.Authorization = `Bearer ${op.token}`;
        }
        return {};
    },
    terminateSession: async () => {
        await transport.terminateSession();
        return { terminated: true };
    }
};

for (const op of ops) {
    const entry = { op: op?.op };
    if (op?.id !== undefined) {
        entry.id = op.id;
    }
    try {
        lastHTTPFailure = undefined;
        if (op?.op === 'discoverResourceMetadata') {
            entry.result = await discoverOAuthProtectedResourceMetadata(serverUrl, undefined, recordingFetch);
        } else if (!Object.hasOwn(handlers, op?.op)) {
            throw new Error(`unknown operation ${JSON.stringify(op?.op)}`);
        } else if (!connected) {
            throw new Error('not connected');
        } else {
            try {
                entry.result = await handlers[op.op](op);
            } catch (err) {
                const code = pendingCode(err);
                if (code === undefined) {
                    throw err;
                }
                await transport.finishAuth(code);
                lastHTTPFailure = undefined;
                entry.result = await handlers[op.op](op);
            }
        }
    } catch (err) {
        entry.error = describeError(err);
    }
    output.results.push(entry);
}

try {
    await client.close();
} catch {
    // closing a session that never opened is not a result either
}
process.stdout.write(JSON.stringify(output) + '\n');
process.exit(0);
