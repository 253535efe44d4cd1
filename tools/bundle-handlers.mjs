// Bundles the rollout's Lambda handlers exactly as they are deployed. Used by the CDK app
// (asset bundling) and by the benchmark, so what is measured is what ships.
//
//   node tools/bundle-handlers.mjs OUTDIR handler-name [handler-name ...]
//   -> OUTDIR/<handler-name>/index.mjs (+ .map)
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HANDLERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lambda', 'handlers');

/**
 * Credential providers the SDK only reaches through dynamic import() when no credentials
 * are in the environment. A Lambda function always has them in the environment, so these
 * stay unbundled (about 120 KB per function); were one ever needed, the Node.js runtime
 * ships the SDK and resolves it.
 */
export const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
];

/**
 * The SDK's generated schema modules key many objects by a module constant
 * (`{ [_xN]: "name" }`). esbuild must assume a computed key can run code, so it keeps every
 * schema of the service: the whole EC2 API, about 540 KB minified, for two EC2 calls.
 * Rewriting those keys to the constant's literal value lets tree shaking drop the unused
 * schemas; the code is otherwise unchanged.
 */
export const literalSchemaKeys = {
  name: 'sdk-schema-literal-keys',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/]schemas[\\/][^\\/]+\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const constants = new Map(
          [...source.matchAll(/^const (_[A-Za-z0-9_$]+) = ("[^"\\\n]*");$/gm)].map((m) => [m[1], m[2]]),
        );
        const contents = source.replace(/\[(_[A-Za-z0-9_$]+)\]:/g, (all, id) =>
          constants.has(id) ? `${constants.get(id)}:` : all,
        );
        return { contents, loader: 'js' };
      },
    );
  },
};

/** esbuild options every handler is built with: ESM (tree-shakable SDK), minified, SDK bundled. */
export const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: LAZY_CREDENTIAL_PROVIDERS,
  // Some dependencies still call require(); give ESM output one that works.
  banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  logLevel: 'error',
  plugins: [literalSchemaKeys],
};

/** Build the named handlers into OUTDIR/<name>/index.mjs in one esbuild run. */
export async function bundleHandlers(outdir, names, extra = {}) {
  return build({
    ...BUILD_OPTIONS,
    entryPoints: Object.fromEntries(names.map((n) => [`${n}/index`, join(HANDLERS_DIR, `${n}.ts`)])),
    outdir,
    ...extra,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [outdir, ...names] = process.argv.slice(2);
  if (!outdir || names.length === 0) {
    console.error('usage: node tools/bundle-handlers.mjs OUTDIR handler-name [handler-name ...]');
    process.exit(2);
  }
  await bundleHandlers(outdir, names);
}
