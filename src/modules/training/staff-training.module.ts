import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { Membership } from '../staff/membership.entity';
import { TrainingAcknowledgement } from './training-acknowledgement.entity';
import { TrainingCoverageService } from './training-coverage.service';
import { TrainingModule } from './training-module.entity';
import { TrainingResolver } from './training.resolver';
import { TrainingService } from './training.service';

/** Training before client data (docs/design.md, Accountability): modules, acknowledgements, coverage. */
@Module({
  imports: [MikroOrmModule.forFeature([TrainingModule, TrainingAcknowledgement, Membership])],
  providers: [TrainingService, TrainingCoverageService, TrainingResolver],
})
export class StaffTrainingModule {}
