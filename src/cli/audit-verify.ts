/**
 * `npm run audit:verify [-- --chain ID] [--checkpoint FILE [--public-key FILE]] [--batch-size N]`
 * Recomputes every audit chain (or one), streaming, in constant memory, and prints one line per
 * chain and a summary. With a checkpoint (from `npm run audit:checkpoint` or `auditCheckpoint`), its
 * signature is checked first — with --public-key, else AUDIT_VERIFY_KEY (or the key derived from
 * AUDIT_SIGNING_KEY) — and every chain it names must still hold its events up to the signed head.
 * Exit code: 0 all intact, 1 anything invalid (or the checkpoint refused), 2 bad usage.
 */
import {
  DEFAULT_BATCH_SIZE,
  anchorsOf,
  checkpointSignatureValid,
  listChains,
  parseCheckpoint,
  parsePrivateKey,
  parsePublicKey,
  pgReader,
  publicKeyPem,
  verifyChains,
  type ChainVerification,
  type SignedCheckpoint,
} from '@harbour/audit';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AppConfig } from '../config/app-config';
import { withDatabaseClient } from './database-client';
import { runCli } from './run-cli';

const USAGE = 'usage: npm run audit:verify [-- --chain ID] [--checkpoint FILE [--public-key FILE]] [--batch-size N]\n';

function options() {
  return parseArgs({
    options: {
      chain: { type: 'string' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      'batch-size': { type: 'string' },
    },
    strict: true,
  }).values;
}

const count = (n: number) => n.toLocaleString('en-US');

function line(result: ChainVerification): string {
  if (result.valid) return `ok       ${result.chainId}  ${count(result.eventsChecked)} events\n`;
  return `INVALID  ${result.chainId}  at seq ${result.firstInvalidSeq} (${count(result.eventsChecked)} events intact before it): ${result.reason}\n`;
}

/** The key to check the checkpoint with, or why there is none worth using. */
function verifyKey(config: AppConfig, file: string | undefined) {
  if (file !== undefined) return parsePublicKey(readFileSync(file, 'utf8'));
  const ownKey = publicKeyPem(parsePrivateKey(config.audit.signingKey));
  if (config.audit.signingKeyGenerated && config.audit.verifyKey === ownKey) {
    throw new Error(
      'Neither AUDIT_VERIFY_KEY nor AUDIT_SIGNING_KEY is set: pass --public-key FILE with the public key the checkpoint was signed with.',
    );
  }
  return parsePublicKey(config.audit.verifyKey);
}

runCli(async () => {
  let values: ReturnType<typeof options>;
  try {
    values = options();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const batchSize = values['batch-size'] === undefined ? DEFAULT_BATCH_SIZE : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) {
    process.stderr.write(`--batch-size must be an integer from 1 to 1000000\n${USAGE}`);
    return 2;
  }
  const signed: SignedCheckpoint | null =
    values.checkpoint === undefined ? null : parseCheckpoint(readFileSync(values.checkpoint, 'utf8'));

  return withDatabaseClient(async (client, config) => {
    const reader = pgReader(client);
    const anchors = signed ? anchorsOf(signed) : new Map();
    if (signed) {
      if (!checkpointSignatureValid(signed, verifyKey(config, values['public-key']))) {
        process.stderr.write(
          'The checkpoint is refused: its signature does not verify (it was altered, or signed with another key). Nothing was verified.\n',
        );
        return 1;
      }
      process.stdout.write(
        `Checkpoint of ${signed.checkpoint.createdAt}: signature valid, ${signed.checkpoint.chains.length} chain head(s).\n`,
      );
    }

    const known = new Set([...(await listChains(reader)), ...anchors.keys()]);
    if (values.chain !== undefined && !known.has(values.chain)) {
      process.stderr.write(`There is no audit chain ${values.chain}.\n`);
      return 1;
    }
    const chains = values.chain === undefined ? [...known].sort() : [values.chain];

    const started = process.hrtime.bigint();
    let events = 0;
    let invalid = 0;
    for await (const result of verifyChains(reader, chains, { batchSize, anchors })) {
      events += result.eventsChecked;
      if (!result.valid) invalid += 1;
      process.stdout.write(line(result));
    }
    const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
    process.stdout.write(
      invalid === 0
        ? `All ${chains.length} chain(s) intact: ${count(events)} events verified in ${seconds} s.\n`
        : `${invalid} of ${chains.length} chain(s) INVALID (${count(events)} events found intact, in ${seconds} s).\n`,
    );
    return invalid === 0 ? 0 : 1;
  });
});
