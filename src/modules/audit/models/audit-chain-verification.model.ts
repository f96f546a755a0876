import { Int64 } from '@harbour/graphql-kit';
import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('AuditChainVerification', {
  description:
    "The result of recomputing one audit chain: every event is read again in order and its SHA-256 hash recomputed from its contents and the previous event's hash. An edited, removed, inserted or reordered event breaks the chain at that point; so does a chain head that disagrees with the last event. Removal of the last events together with the head is caught only against a signed checkpoint (`auditCheckpoint`, `npm run audit:verify -- --checkpoint FILE`).",
})
export class AuditChainVerificationModel {
  @Field(() => ID, {
    description:
      "The chain: an organization's id (events of everyone acting for it), or `network` (callers without a credential).",
  })
  chainId: string;

  @Field({
    description:
      'True when every event up to the chain head is intact and linked, and the head agrees with the last event.',
  })
  valid: boolean;

  @Field(() => Int64, {
    description:
      'How many events were found intact, from the first one up to the head (or up to the first invalid one).',
  })
  eventsChecked: number;

  @Field(() => Int64, {
    nullable: true,
    description:
      'Position (`seq`) where the chain first breaks: the changed, missing or out-of-place event. Null when the chain is valid.',
  })
  firstInvalidSeq: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the chain breaks there, in plain words. Null when the chain is valid.',
  })
  reason: string | null;
}
