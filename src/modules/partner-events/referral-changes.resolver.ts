import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ReferralChangesArgs } from './dto/referral-changes.args';
import { ReferralChangeConnection, ReferralChangeModel } from './models/referral-change.model';
import { ReferralChangesService } from './referral-changes.service';

@Resolver(() => ReferralChangeModel)
export class ReferralChangesResolver {
  constructor(private readonly service: ReferralChangesService) {}

  @Query(() => ReferralChangeConnection, {
    description:
      'The change feed: every change your organization is told about (the events your webhook endpoints receive), oldest first, in commit order, after `after` (exclusive). It never skips a change: a change appears only once every transaction that could precede it has ended, usually within a second of its commit. This is how to catch up after missed webhooks or a dropped subscription: keep the `endCursor` of the last page you processed and continue from it (an empty page has a null `endCursor`: keep yours); skip events whose `id` you already handled. Of a referral you are told about the side your role may read (sent: CASEWORKER; received: INTAKE; both for an API key with `REFERRALS_READ`). Ids only: no client data, so reading the feed is not recorded as a read of client data.',
  })
  @RequirePermission(Permission.REFERRAL_OUTBOX_READ, Permission.REFERRAL_INBOX_READ)
  referralChanges(@CurrentActor() actor: Actor, @Args() args: ReferralChangesArgs) {
    return this.service.list(actor, args);
  }
}
