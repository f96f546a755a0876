import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { Organization } from '../organizations/organization.entity';
import { ApiClient } from './api-client.entity';
import { ApiClientsResolver } from './api-clients.resolver';
import { ApiClientsService } from './api-clients.service';
import { Invitation } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { NetworkBootstrap } from './network-bootstrap.service';
import { Membership } from './membership.entity';
import { StaffAccount } from './staff-account.entity';
import { StaffResolver } from './staff.resolver';
import { StaffService } from './staff.service';

@Module({
  imports: [AuthModule, MikroOrmModule.forFeature([StaffAccount, Membership, Invitation, ApiClient, Organization])],
  providers: [StaffService, InvitationsService, StaffResolver, ApiClientsService, ApiClientsResolver, NetworkBootstrap],
  exports: [NetworkBootstrap],
})
export class StaffModule {}
