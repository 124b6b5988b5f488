import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MaturityError } from '../errors.js';

/**
 * Secrets at rest: AES-256-GCM, key derived from MATURITY_SECRET. The sealed form is
 * `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), the key id being a hash prefix of the key,
 * so a rotated key can tell which secrets it did not seal.
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(secret: string) {
    if (secret.length < 32)
      throw new MaturityError('E_CONFIG', 'MATURITY_SECRET must be at least 32 characters');
    this.key = createHash('sha256').update(`support-maturity:${secret}`).digest();
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  seal(plain: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return [
      'v1',
      this.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join(':');
  }

  open<T = unknown>(sealed: string): T {
    const [v, keyId, iv, tag, data] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || !data)
      throw new MaturityError('E_CONFIG', 'a stored secret is not in a known format');
    if (keyId !== this.keyId) {
      throw new MaturityError(
        'E_CONFIG',
        `a stored secret was sealed with key ${keyId}, not the current MATURITY_SECRET (${this.keyId})`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch (err) {
      throw new MaturityError(
        'E_CONFIG',
        'a stored secret could not be decrypted (wrong MATURITY_SECRET?)',
        { cause: err },
      );
    }
  }
}

/**
 * The key for the embedded default: MATURITY_SECRET when set, else a random key kept in
 * $MATURITY_HOME/secret.key (created once, owner-only), so `maturity connect` works out of the box.
 */
export function secretBoxFor(secret: string | undefined, home: string): SecretBox {
  if (secret) return new SecretBox(secret);
  const file = path.resolve(home, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return new SecretBox(readFileSync(file, 'utf8').trim());
}
