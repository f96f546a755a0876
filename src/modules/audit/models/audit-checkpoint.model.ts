import { Int64 } from '@harbour/graphql-kit';
import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AuditCheckpointChain', { description: 'The head of one audit chain when the checkpoint was taken.' })
export class AuditCheckpointChainModel {
  @Field(() => ID, { description: "The chain: an organization's id, or `network`." })
  chainId: string;

  @Field(() => Int64, {
    description: 'Position (`seq`) of the last event of the chain; `"0"` for a chain without events.',
  })
  seq: string;

  @Field({ description: 'Hash (hex SHA-256) of that event; 64 zeros for a chain without events.' })
  hash: string;
}

@ObjectType('AuditCheckpoint', {
  description:
    'The heads of the audit chains you may verify, signed by Harbour with Ed25519. Store it away from the server (`document` is the file to keep): later, `npm run audit:verify -- --checkpoint FILE` proves that the log still holds every event up to these heads, unchanged — which catches the removal of the last events of a chain, something the chain alone cannot show.',
})
export class AuditCheckpointModel {
  @Field(() => Int, { description: 'Version of the checkpoint format (1).' })
  version: number;

  @Field(() => GraphQLISODateTime, { description: 'When the heads were read: database time, UTC, to the millisecond.' })
  createdAt: Date;

  @Field(() => [AuditCheckpointChainModel], { description: 'The chain heads, ordered by chain id.' })
  chains: AuditCheckpointChainModel[];

  @Field({
    description:
      'The exact text that was signed: the canonical JSON (keys sorted, no whitespace) of `{ version, createdAt, chains: [{ chainId, seq, hash }] }`, with `seq` as a JSON number.',
  })
  signedPayload: string;

  @Field({ description: 'Signature algorithm: `Ed25519`.' })
  algorithm: string;

  @Field({ description: 'The Ed25519 signature of `signedPayload`, base64.' })
  signature: string;

  @Field({
    description:
      "Harbour's public key (SPKI PEM) that verifies the signature. Keep a copy you trust: a checkpoint is only as good as the key you check it with.",
  })
  publicKey: string;

  @Field({
    description:
      'True when the server has no configured signing key and signs with one made at its start: such checkpoints cannot be verified once it restarts. Production servers always have a configured key.',
  })
  temporaryKey: boolean;

  @Field({
    description: 'The whole checkpoint as the JSON file that `npm run audit:verify -- --checkpoint FILE` reads.',
  })
  document: string;
}
