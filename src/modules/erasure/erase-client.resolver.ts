import { CurrentActor, Permission, RequirePermission, ReturnsClientData, type Actor } from '@harbour/authz';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { ClientPayload } from '../clients';
import { ClientErasureService } from './client-erasure.service';

@Resolver()
export class EraseClientResolver {
  constructor(private readonly service: ClientErasureService) {}

  @Mutation(() => ClientPayload, {
    description:
      "Erase the personal data of one of your organization's clients, at the client's request (ORG_ADMIN or CASEWORKER; no API scope). In one transaction: the record keeps its id and dates, its preferred name becomes \"Erased client\" and every other field is emptied; the reasons, step texts and notes of its referrals, of both sides, are erased; its active consents are revoked (CLIENT_WITHDREW, with their `consent.revoked` webhooks) and every consent keeps its terms and dates but loses its revocation note. Referral shells (status, history, organizations) and the audit log (ids only) remain, and both sides see the client as erased. Refused with CONFLICT while a referral of the client is open (the message names each one and its status) and for a client already erased; another organization's client gives NOT_FOUND. Recorded in the audit log as `client.erased`. Cannot be undone.",
  })
  @RequirePermission(Permission.CLIENT_ERASE)
  @ReturnsClientData()
  eraseClient(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'Id of the client whose personal data to erase.' }) id: string,
  ) {
    return this.service.eraseOnRequest(actor, id);
  }
}
