#!/usr/bin/env bash
# Compile the jsii surface (package.json "types": the constructs and compliance classes) with jsii,
# in a temporary copy of the project, and fail on any jsii error.
#
# Why a copy: jsii requires every dependency that is not itself a jsii module (the AWS SDK clients,
# zod, commander, esbuild, ...) to be listed in bundledDependencies, i.e. shipped inside the
# tarball. The npm package deliberately does not bundle them (npm shares them with the consumer's
# app), so this check derives a manifest that marks them bundled, exactly as a jsii release for
# other languages would have to. Nothing is written to the working tree.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/jsii-check.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
cp -R "$ROOT/lib" "$OUT/lib"
cp "$ROOT/tsconfig.jsii.json" "$ROOT/README.md" "$OUT/"
ln -s "$ROOT/node_modules" "$OUT/node_modules"
node -e '
const fs = require("node:fs");
const path = require("node:path");
const [root, out] = process.argv.slice(1);
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const isJsii = (name) => fs.existsSync(path.join(root, "node_modules", name, ".jsii"));
const deps = pkg.dependencies ?? {};
pkg.bundledDependencies = Object.keys(deps).filter((d) => !isJsii(d));
// jsii modules the API is built on must be peer dependencies too (one copy in the consumer app).
pkg.peerDependencies = { ...(pkg.peerDependencies ?? {}) };
for (const d of Object.keys(deps).filter(isJsii)) pkg.peerDependencies[d] ??= deps[d];
fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(pkg, null, 2));
' "$ROOT" "$OUT"
cd "$OUT"
# jsii prints a Node end-of-life banner on Node 20; errors make it exit non-zero.
"$ROOT/node_modules/.bin/jsii" --silence-warnings=reserved-word --fail-on-warnings=false "$@"
node -e '
const fs = require("node:fs");
const zlib = require("node:zlib");
let a = JSON.parse(fs.readFileSync(".jsii", "utf8"));
if (a.schema === "jsii/file-redirect") a = JSON.parse(zlib.gunzipSync(fs.readFileSync(a.filename)).toString("utf8"));
console.log(`jsii: 0 errors, ${Object.keys(a.types ?? {}).length} types in the assembly`);
'
