import { Module } from '@nestjs/common';
import { ReferralChangesResolver } from './referral-changes.resolver';
import { ReferralChangesService } from './referral-changes.service';

/**
 * What partner systems hear without asking for an object: the change feed (`referralChanges`), read
 * from the outbox in commit-safe order with the same id-only facts as the webhooks.
 */
@Module({
  providers: [ReferralChangesService, ReferralChangesResolver],
})
export class PartnerEventsModule {}
