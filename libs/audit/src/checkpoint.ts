import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from './canonical';
import { publicKeyPem } from './signing-key';
import type { AuditLogReader } from './audit-log-reader';
import { verifyChain, type ChainAnchor, type ChainVerification, type VerifyOptions } from './verify';

/**
 * Signed checkpoints against the one thing a hash chain cannot show by itself: its end being cut
 * off (events and head removed together leave a shorter chain that verifies). A checkpoint is the
 * list of chain heads, signed with Ed25519; stored away from the server, it later proves that the
 * log still holds every event up to those heads, unchanged.
 *
 * The signed bytes are the canonical JSON (sorted keys, no whitespace) of the body
 * `{ version, createdAt, chains: [{ chainId, seq, hash }] }`, chains ordered by id.
 */
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_ALGORITHM = 'Ed25519';

export interface CheckpointChain {
  chainId: string;
  seq: number;
  hash: string;
}

export interface CheckpointBody {
  version: number;
  /** Database time, ISO 8601 UTC with milliseconds. */
  createdAt: string;
  chains: CheckpointChain[];
}

/**
 * The document `npm run audit:checkpoint` prints and `audit:verify --checkpoint` reads. The public
 * key is there for reference: verify with a key you trust (configuration or a file you kept).
 */
export interface SignedCheckpoint {
  checkpoint: CheckpointBody;
  algorithm: typeof CHECKPOINT_ALGORITHM;
  /** Base64 of the Ed25519 signature of `checkpointPayload(checkpoint)`. */
  signature: string;
  /** SPKI PEM of the key that signed it. */
  publicKey: string;
}

export class CheckpointFormatError extends Error {}

export function checkpointPayload(body: CheckpointBody): string {
  return canonicalJson(body);
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): SignedCheckpoint {
  return {
    checkpoint: body,
    algorithm: CHECKPOINT_ALGORITHM,
    signature: sign(null, Buffer.from(checkpointPayload(body), 'utf8'), privateKey).toString('base64'),
    publicKey: publicKeyPem(privateKey),
  };
}

export function checkpointSignatureValid(signed: SignedCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(
      null,
      Buffer.from(checkpointPayload(signed.checkpoint), 'utf8'),
      publicKey,
      Buffer.from(signed.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * The current heads of the given chains (every chain with a head by default), as one statement
 * so that they are one moment of the log. A requested chain without a head yet is at its start.
 */
export async function readCheckpointBody(
  reader: AuditLogReader,
  chainIds: readonly string[] | null = null,
): Promise<CheckpointBody> {
  const rows = await reader.rows(
    `select now_utc, h.chain_id, h.seq, h.hash
     from (select to_char(statement_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now_utc) t
     left join audit_chain_head h on true`,
    [],
  );
  const heads = new Map<string, CheckpointChain>();
  for (let i = 0; i < rows.length; i++) {
    const [, chainId, seq, hash] = rows.at(i);
    if (chainId !== null) heads.set(chainId, { chainId, seq: Number(seq), hash: hash ?? '' });
  }
  const chains =
    chainIds === null
      ? [...heads.values()]
      : chainIds.map((chainId) => heads.get(chainId) ?? { chainId, seq: 0, hash: GENESIS_HASH });
  chains.sort((a, b) => (a.chainId < b.chainId ? -1 : a.chainId > b.chainId ? 1 : 0));
  return { version: CHECKPOINT_VERSION, createdAt: rows.at(0)[0] ?? new Date().toISOString(), chains };
}

export async function createCheckpoint(
  reader: AuditLogReader,
  privateKey: KeyObject,
  chainIds: readonly string[] | null = null,
): Promise<SignedCheckpoint> {
  return signCheckpoint(await readCheckpointBody(reader, chainIds), privateKey);
}

/** Reads a stored checkpoint document, refusing anything that is not one (before any signature check). */
export function parseCheckpoint(text: string): SignedCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CheckpointFormatError('The checkpoint is not JSON.');
  }
  const doc = value as Partial<SignedCheckpoint> | null;
  const body = doc?.checkpoint as Partial<CheckpointBody> | undefined;
  const wellFormed =
    doc !== null &&
    typeof doc === 'object' &&
    doc.algorithm === CHECKPOINT_ALGORITHM &&
    typeof doc.signature === 'string' &&
    typeof body === 'object' &&
    body !== null &&
    body.version === CHECKPOINT_VERSION &&
    typeof body.createdAt === 'string' &&
    Array.isArray(body.chains) &&
    body.chains.every(
      (c: Partial<CheckpointChain> | null) =>
        c !== null &&
        typeof c === 'object' &&
        typeof c.chainId === 'string' &&
        Number.isSafeInteger(c.seq) &&
        (c.seq ?? -1) >= 0 &&
        typeof c.hash === 'string',
    );
  if (!wellFormed) throw new CheckpointFormatError(`Not a version ${CHECKPOINT_VERSION} Harbour audit checkpoint.`);
  return doc as SignedCheckpoint;
}

/** What each chain of the checkpoint must still hold. */
export function anchorsOf(signed: SignedCheckpoint): Map<string, ChainAnchor> {
  return new Map(
    signed.checkpoint.chains.map((c) => [
      c.chainId,
      { seq: c.seq, hash: c.hash, createdAt: signed.checkpoint.createdAt },
    ]),
  );
}

export interface CheckpointVerification {
  signatureValid: boolean;
  /** The chains the checkpoint names, each verified up to its current head and against the checkpoint. */
  chains: ChainVerification[];
}

/**
 * Checks the signature with `publicKey`, then, for each chain of the checkpoint, that the chain
 * verifies and still holds the event at the checkpoint's seq with the checkpoint's hash. A
 * checkpoint whose signature fails is refused as a whole: none of its chains is looked at.
 */
export async function verifyCheckpoint(
  signed: SignedCheckpoint,
  publicKey: KeyObject,
  reader: AuditLogReader,
  options: Omit<VerifyOptions, 'anchor'> = {},
): Promise<CheckpointVerification> {
  if (!checkpointSignatureValid(signed, publicKey)) return { signatureValid: false, chains: [] };
  const anchors = anchorsOf(signed);
  const chains: ChainVerification[] = [];
  for (const [chainId, anchor] of anchors) chains.push(await verifyChain(reader, chainId, { ...options, anchor }));
  return { signatureValid: true, chains };
}

/** The checkpoint as a file: what `npm run audit:checkpoint` prints and `audit:verify --checkpoint` reads. */
export function checkpointDocument(signed: SignedCheckpoint): string {
  return `${JSON.stringify(signed, null, 2)}\n`;
}
