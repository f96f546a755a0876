import { API_KEY_PREFIX, generateApiKey, hashSecret, parseApiKey, secretMatches } from '../../src/auth/api-key';

const SECRET_43 = 'A'.repeat(21) + '-_' + 'z'.repeat(20);

describe(generateApiKey.name, () => {
  it('makes `hbk_<12-character prefix>_<43-character secret>`', () => {
    const { key, prefix } = generateApiKey();
    expect(key).toMatch(/^hbk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`${API_KEY_PREFIX}${prefix}_`)).toBe(true);
  });

  it('stores only the SHA-256 of the secret, never the secret', () => {
    const { key, hash } = generateApiKey();
    const secret = parseApiKey(key)!.secret;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashSecret(secret));
    expect(hash).not.toContain(secret);
  });

  it('never repeats a key or a prefix', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(200);
  });
});

describe(parseApiKey.name, () => {
  it('splits a generated key into its prefix and secret', () => {
    const { key, prefix } = generateApiKey();
    const parsed = parseApiKey(key);
    expect(parsed).toEqual({ prefix, secret: key.slice(`${API_KEY_PREFIX}${prefix}_`.length) });
  });

  it('keeps underscores and dashes of a base64url secret', () => {
    expect(parseApiKey(`hbk_abcdef012345_${SECRET_43}`)).toEqual({ prefix: 'abcdef012345', secret: SECRET_43 });
  });

  it.each([
    ['an empty string', ''],
    ['the bare prefix', 'hbk_'],
    ['another product prefix', `hbx_abcdef012345_${SECRET_43}`],
    ['an upper-case prefix', `hbk_ABCDEF012345_${SECRET_43}`],
    ['a short prefix', `hbk_abcdef01234_${SECRET_43}`],
    ['a short secret', `hbk_abcdef012345_${SECRET_43.slice(1)}`],
    ['a long secret', `hbk_abcdef012345_${SECRET_43}x`],
    ['a secret with other characters', `hbk_abcdef012345_${SECRET_43.slice(1)}=`],
    ['surrounding whitespace', ` hbk_abcdef012345_${SECRET_43} `],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
  ])('refuses %s', (_what, key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });
});

describe(secretMatches.name, () => {
  it('accepts the secret of the key', () => {
    const { key, hash } = generateApiKey();
    expect(secretMatches(parseApiKey(key)!.secret, hash)).toBe(true);
  });

  it("refuses another key's secret", () => {
    const mine = generateApiKey();
    const theirs = generateApiKey();
    expect(secretMatches(parseApiKey(theirs.key)!.secret, mine.hash)).toBe(false);
  });

  it('refuses a secret that differs in one character', () => {
    const { key, hash } = generateApiKey();
    const secret = parseApiKey(key)!.secret;
    const altered = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(secretMatches(altered, hash)).toBe(false);
  });

  it.each([
    ['the placeholder used for unknown prefixes', '0'.repeat(64)],
    ['an empty hash', ''],
    ['a hash of the wrong length', 'ab'.repeat(16)],
    ['text that is not hex', 'z'.repeat(64)],
  ])('refuses, without throwing, against %s', (_what, stored) => {
    expect(secretMatches(SECRET_43, stored)).toBe(false);
  });
});
