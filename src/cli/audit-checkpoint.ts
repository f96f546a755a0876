/**
 * `npm run audit:checkpoint > checkpoint-$(date +%F).json`
 * Prints the current heads of every audit chain, signed with AUDIT_SIGNING_KEY (Ed25519), as JSON.
 * Keep the file away from the server: `npm run audit:verify -- --checkpoint FILE` later proves that
 * the log still holds everything up to these heads.
 */
import { checkpointDocument, createCheckpoint, parsePrivateKey, pgReader } from '@harbour/audit';
import { withDatabaseClient } from './database-client';
import { runCli } from './run-cli';

runCli(() =>
  withDatabaseClient(async (client, config) => {
    const signed = await createCheckpoint(pgReader(client), parsePrivateKey(config.audit.signingKey));
    if (config.audit.signingKeyGenerated) {
      process.stderr.write(
        'AUDIT_SIGNING_KEY is not set: this checkpoint is signed with a key made for this run only. Verify it with the publicKey it carries (--public-key), kept somewhere you trust.\n',
      );
    }
    process.stdout.write(checkpointDocument(signed));
    return 0;
  }),
);
