import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, ReturnsClientData, type Actor } from '@harbour/authz';
import { ConsentsService } from './consents.service';
import { RecordConsentInput } from './dto/record-consent.input';
import { RevokeConsentArgs } from './dto/revoke-consent.args';
import { ConsentModel, ConsentPayload, RevokeConsentPayload } from './models/consent.model';

@Resolver(() => ConsentModel)
export class ConsentsResolver {
  constructor(private readonly consents: ConsentsService) {}

  @Query(() => ConsentModel, {
    description:
      "A consent of one of your organization's clients. Another organization's consent gives NOT_FOUND, like an unknown id. The read is recorded in the audit log (`consent.read`) before the data is returned.",
  })
  @RequirePermission(Permission.CLIENT_READ)
  @ReturnsClientData()
  consent(@CurrentActor() actor: Actor, @Args('id', { type: () => ID, description: 'Id of the consent.' }) id: string) {
    return this.consents.get(actor, id);
  }

  @Mutation(() => ConsentPayload, {
    description:
      "Record a client's consent, or refusal (no recipient organizations), to share data with other organizations. The client must be one of your organization's and every recipient an existing, active organization (NOT_FOUND otherwise).",
  })
  @RequirePermission(Permission.CONSENT_WRITE)
  @ReturnsClientData()
  recordConsent(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The consent as the client gave it.' }) input: RecordConsentInput,
  ) {
    return this.consents.record(actor, input);
  }

  @Mutation(() => RevokeConsentPayload, {
    description:
      "Revoke a consent: from the next request on nothing is shared under it, and the organizations concerned are told (`consent.revoked`). Revocation is final and prospective: what was done stays in the record. A consent already REVOKED gives BAD_USER_INPUT; an EXPIRED one may still be revoked. Another organization's consent gives NOT_FOUND.",
  })
  @RequirePermission(Permission.CONSENT_WRITE)
  @ReturnsClientData()
  revokeConsent(@CurrentActor() actor: Actor, @Args() args: RevokeConsentArgs) {
    return this.consents.revoke(actor, args);
  }
}
