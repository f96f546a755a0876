import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConsentModule, ConsentRevocationSteps } from '../consent';
import { ClientsModule } from '../clients';
import { Referral, ReferralNote, ReferralTransition } from './referral.entity';
import { ReferralExpirySchedule } from './referral-expiry';
import { ReferralFieldsResolver } from './referral-fields.resolver';
import { ReferralLoaders } from './referral-loaders';
import { ReferralsResolver } from './referrals.resolver';
import { ReferralPageQuery } from './referral-page.query';
import { ReferralSteps } from './referral-steps';
import { ReferralSystemSteps } from './referral-system-steps';
import { ReferralNotesService } from './referral-notes.service';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [MikroOrmModule.forFeature([Referral, ReferralTransition, ReferralNote]), ClientsModule, ConsentModule],
  providers: [
    ReferralsService,
    ReferralNotesService,
    ReferralSteps,
    ReferralPageQuery,
    ReferralSystemSteps,
    ReferralsResolver,
    ReferralFieldsResolver,
    ReferralLoaders,
    ReferralExpirySchedule,
  ],
  exports: [ReferralsService],
})
export class ReferralsModule implements OnModuleInit, OnModuleDestroy {
  private unregister: (() => void) | undefined;

  constructor(
    private readonly steps: ConsentRevocationSteps,
    private readonly system: ReferralSystemSteps,
  ) {}

  /** A revoked consent cancels its open referrals in the revocation's own transaction. */
  onModuleInit(): void {
    this.unregister = this.steps.register({
      name: 'cancel open referrals (CONSENT_WITHDRAWN)',
      run: (revocation) => this.system.cancelUnderRevokedConsent(revocation),
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }
}
