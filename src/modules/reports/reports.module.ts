import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Membership } from '../staff/membership.entity';
import { ReferralReportsController } from './referral-reports.controller';
import { ReferralReportsResolver } from './referral-reports.resolver';
import { ReferralReportsService } from './referral-reports.service';

@Module({
  imports: [MikroOrmModule.forFeature([Membership])],
  controllers: [ReferralReportsController],
  providers: [ReferralReportsService, ReferralReportsResolver],
})
export class ReportsModule {}
