import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Membership } from '../staff/membership.entity';
import { ServiceAreasResolver } from './service-areas.resolver';
import { ServiceAreasService } from './service-areas.service';

@Module({
  imports: [MikroOrmModule.forFeature([Membership])],
  providers: [ServiceAreasService, ServiceAreasResolver],
})
export class ServiceAreasModule {}
