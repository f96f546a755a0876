import {
  CheckpointFormatError,
  SigningKeyError,
  checkpointDocument,
  checkpointPayload,
  checkpointSignatureValid,
  generatePrivateKeyPem,
  parseCheckpoint,
  parsePrivateKey,
  parsePublicKey,
  publicKeyPem,
  signCheckpoint,
  type CheckpointBody,
} from '@harbour/audit';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';

const BODY: CheckpointBody = {
  version: 1,
  createdAt: '2026-11-26T12:00:00.000Z',
  chains: [
    { chainId: '2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', seq: 42, hash: 'a'.repeat(64) },
    { chainId: 'network', seq: 0, hash: '0'.repeat(64) },
  ],
};

describe('audit checkpoints', () => {
  const privateKey = parsePrivateKey(generatePrivateKeyPem());
  const publicKey = createPublicKey(privateKey);

  it('signs the canonical JSON of the body: keys sorted, no whitespace', () => {
    expect(checkpointPayload(BODY)).toBe(
      '{"chains":[{"chainId":"2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b","hash":"' +
        'a'.repeat(64) +
        '","seq":42},{"chainId":"network","hash":"' +
        '0'.repeat(64) +
        '","seq":0}],"createdAt":"2026-11-26T12:00:00.000Z","version":1}',
    );
  });

  it('verifies with the public key after a round trip through the file format', () => {
    const signed = parseCheckpoint(checkpointDocument(signCheckpoint(BODY, privateKey)));
    expect(signed.publicKey).toBe(publicKeyPem(publicKey));
    expect(checkpointSignatureValid(signed, publicKey)).toBe(true);
  });

  it('refuses a changed body, a changed signature, and another key', () => {
    const signed = signCheckpoint(BODY, privateKey);
    const fewer = { ...signed, checkpoint: { ...BODY, chains: [{ ...BODY.chains[0], seq: 40 }, BODY.chains[1]] } };
    expect(checkpointSignatureValid(fewer, publicKey)).toBe(false);
    const flipped = { ...signed, signature: `${signed.signature[0] === 'A' ? 'B' : 'A'}${signed.signature.slice(1)}` };
    expect(checkpointSignatureValid(flipped, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...signed, signature: 'not base64 at all!' }, publicKey)).toBe(false);
    expect(
      checkpointSignatureValid(signed, parsePublicKey(publicKeyPem(parsePrivateKey(generatePrivateKeyPem())))),
    ).toBe(false);
  });

  it.each([
    ['not JSON', 'nope'],
    ['another document', '{"hello": "world"}'],
    ['another version', JSON.stringify({ ...signCheckpoint(BODY, privateKey), checkpoint: { ...BODY, version: 2 } })],
    [
      'a negative seq',
      JSON.stringify({
        ...signCheckpoint(BODY, privateKey),
        checkpoint: { ...BODY, chains: [{ chainId: 'x', seq: -1, hash: 'h' }] },
      }),
    ],
  ])('refuses to read %s', (_case, text) => {
    expect(() => parseCheckpoint(text)).toThrow(CheckpointFormatError);
  });
});

describe('checkpoint signing keys', () => {
  const pem = generatePrivateKeyPem();
  const der = parsePrivateKey(pem).export({ format: 'der', type: 'pkcs8' }).toString('base64');

  it('reads a private key as PEM, as PEM with escaped newlines, and as base64 DER', () => {
    const expected = publicKeyPem(parsePrivateKey(pem));
    expect(publicKeyPem(parsePrivateKey(pem.replace(/\n/g, '\\n')))).toBe(expected);
    expect(publicKeyPem(parsePrivateKey(der))).toBe(expected);
  });

  it('reads a public key as PEM and as base64 DER', () => {
    const publicPem = publicKeyPem(parsePrivateKey(pem));
    const publicDer = parsePublicKey(publicPem).export({ format: 'der', type: 'spki' }).toString('base64');
    expect(publicKeyPem(parsePublicKey(publicDer))).toBe(publicPem);
  });

  it('refuses keys of another algorithm, private keys given as public ones, and garbage — without repeating them', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => parsePrivateKey(rsa)).toThrow(/rsa key, not Ed25519/);
    expect(() => parsePublicKey(pem)).toThrow(SigningKeyError);
    for (const garbage of ['s3cret-not-a-key', '-----BEGIN PRIVATE KEY-----\ns3cret\n-----END PRIVATE KEY-----']) {
      expect(() => parsePrivateKey(garbage)).toThrow(SigningKeyError);
      try {
        parsePrivateKey(garbage);
      } catch (error) {
        expect((error as Error).message).not.toContain('s3cret');
      }
    }
  });
});
