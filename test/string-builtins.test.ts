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
 * Loads the modules in a process of their own and says whether String.prototype still has fast
 * properties (V8's %HasFastProperties, which a process only reads with --allow-natives-syntax).
 */
function stringPrototypeFastAfter(files: string[], before = ''): boolean {
  const script = `${before}
for (const f of ${JSON.stringify(files)}) await import(f);
process.stdout.write(String(%HasFastProperties(String.prototype)));`;
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  return out.trim() === 'true';
}

describe('string builtins stay fast with every module loaded', () => {
  // Once any object inherits from String.prototype (a dependency's `class … extends String`, as
  // ioredis 6.0.0 has), V8 turns String.prototype into a dictionary and stops inlining its
  // methods on plain strings: charCodeAt ran 4x slower and every sync and import about 15%
  // slower (BENCHMARKS.md). This holds the product and its dependencies to never doing that.
  it('leaves String.prototype as V8 made it after loading every module of src/ and connectors/', () => {
    expect(modules.length).toBeGreaterThan(100);
    expect(stringPrototypeFastAfter(modules)).toBe(true);
  }, 150_000);

  it('notices a module that subclasses String (the check can fail)', () => {
    expect(stringPrototypeFastAfter([], 'class Wrapped extends String {}; void Wrapped;')).toBe(
      false,
    );
  }, 60_000);
});
