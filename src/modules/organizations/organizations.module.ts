import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Organization } from './organization.entity';
import { OrganizationsResolver } from './organizations.resolver';
import { OrganizationsService } from './organizations.service';

@Module({
  imports: [MikroOrmModule.forFeature([Organization])],
  providers: [OrganizationsService, OrganizationsResolver],
})
export class OrganizationsModule {}
