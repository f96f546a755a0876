import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Organization } from '../organizations/organization.entity';
import { ClientAccessReportResolver } from './client-access-report.resolver';
import { ClientAccessReportService } from './client-access-report.service';
import { Client } from './client.entity';
import { ClientsResolver } from './clients.resolver';
import { ClientsService } from './clients.service';
import { RequestReads } from './request-reads';

@Module({
  imports: [MikroOrmModule.forFeature([Client, Organization])],
  providers: [ClientsService, ClientsResolver, ClientAccessReportService, ClientAccessReportResolver, RequestReads],
  exports: [RequestReads],
})
export class ClientsModule {}
