import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every TypeScript module of the product (what the CLI, the server and the workers may load). */
const modules = ['src', 'connectors'].flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(root, dir, f)),
);

/**
 * What V8 keeps fast until some code changes it: built-in prototypes with fast properties, and
 * the protectors of its fast paths for spreads, iteration and species. A process reads them
 * only with --allow-natives-syntax.
 */
const FAST = `({
  'String.prototype': %HasFastProperties(String.prototype),
  'Array.prototype': %HasFastProperties(Array.prototype),
  'Object.prototype': %HasFastProperties(Object.prototype),
  'Function.prototype': %HasFastProperties(Function.prototype),
  'Promise.prototype': %HasFastProperties(Promise.prototype),
  'Number.prototype': %HasFastProperties(Number.prototype),
  'Map.prototype': %HasFastProperties(Map.prototype),
  'Set.prototype': %HasFastProperties(Set.prototype),
  'RegExp.prototype': %HasFastProperties(RegExp.prototype),
  'Uint8Array.prototype': %HasFastProperties(Uint8Array.prototype),
  'Date.prototype': %HasFastProperties(Date.prototype),
  'array species': %ArraySpeciesProtector(),
  'array iterator': %ArrayIteratorProtector(),
  'map iterator': %MapIteratorProtector(),
  'set iterator': %SetIteratorProtector(),
  'string iterator': %StringIteratorProtector(),
  'typed array species': %TypedArraySpeciesProtector(),
  'regexp species': %RegExpSpeciesProtector(),
  'promise species': %PromiseSpeciesProtector(),
  'concat spreadable': %IsConcatSpreadableProtector(),
})`;

/** Loads the modules in a process of their own; what of FAST they left slow. */
function slowedBy(files: string[], before = ''): string[] {
  const script = `${before}
for (const f of ${JSON.stringify(files)}) await import(f);
const fast = ${FAST};
process.stdout.write(JSON.stringify(Object.keys(fast).filter((k) => !fast[k])));`;
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  return JSON.parse(out) as string[];
}

describe("V8's fast paths stay on with every module loaded", () => {
  // Once any object inherits from String.prototype (a dependency's `class … extends String`, as
  // ioredis 6.0.0 has), V8 turns String.prototype into a dictionary and stops inlining its
  // methods on plain strings: charCodeAt ran 4x slower and every sync and import about 15%
  // slower (BENCHMARKS.md). The other prototypes and protectors fail the same way, silently.
  it('leaves every built-in prototype and protector as V8 made it after loading src/ and connectors/', () => {
    expect(modules.length).toBeGreaterThan(100);
    expect(slowedBy(modules)).toEqual([]);
  }, 150_000);

  it('notices a module that subclasses String or redefines array species (the check can fail)', () => {
    expect(
      slowedBy(
        [],
        'class Wrapped extends String {}; void Wrapped; class A extends Array {}; Object.defineProperty(A, Symbol.species, { value: Array }); Object.defineProperty(Array, Symbol.species, { value: A });',
      ),
    ).toEqual(['String.prototype', 'array species']);
  }, 60_000);
});
