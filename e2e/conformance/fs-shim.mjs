// fs-shim.mjs is node:fs with a globSync for Nodes that lack it (before 22),
// enough for the conformance CLI: patterns with "*", "**" and "?" (no
// braces or classes), matched against paths below options.cwd (default: the
// working directory), returned relative to it with "/" separators, as
// fs.globSync returns them for a relative pattern. Dot files match like any
// other (the CLI only looks for "**/checks.json").
import fs from 'node:fs';
import path from 'node:path';

export * from 'node:fs';
export default fs;

function toRegExp(pattern) {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '*' && pattern[i + 1] === '*') {
            // "**/" matches any number of directories, "**" at the end anything.
            if (pattern[i + 2] === '/') {
                re += '(?:.*/)?';
                i += 2;
            } else {
                re += '.*';
                i += 1;
            }
        } else if (c === '*') {
            re += '[^/]*';
        } else if (c === '?') {
            re += '[^/]';
        } else {
            re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
        }
    }
    return new RegExp(`^${re}$`);
}

export function globSync(patterns, options = {}) {
    const cwd = options.cwd === undefined ? process.cwd() : String(options.cwd);
    const res = (Array.isArray(patterns) ? patterns : [patterns]).map(toRegExp);
    let entries;
    try {
        entries = fs.readdirSync(cwd, { recursive: true });
    } catch {
        return [];
    }
    const out = [];
    for (const entry of entries) {
        const rel = String(entry).split(path.sep).join('/');
        if (res.some(re => re.test(rel))) {
            out.push(rel);
        }
    }
    return out.sort();
}
