import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Client } from '../clients/client.entity';
import { Organization } from '../organizations/organization.entity';
import { ClientConsentLoaders } from './client-consent-loaders';
import { ClientConsentsResolver } from './client-consents.resolver';
import { ConsentRevocationSteps } from './consent-revocation';
import { Consent } from './consent.entity';
import { ConsentsResolver } from './consents.resolver';
import { ConsentsService } from './consents.service';

@Module({
  imports: [MikroOrmModule.forFeature([Consent, Client, Organization])],
  providers: [ConsentsService, ConsentsResolver, ClientConsentsResolver, ClientConsentLoaders, ConsentRevocationSteps],
  exports: [ConsentRevocationSteps, ConsentsService],
})
export class ConsentModule {}
