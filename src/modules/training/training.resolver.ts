import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { AcknowledgeTrainingArgs } from './dto/acknowledge-training.args';
import { PublishTrainingModuleInput } from './dto/publish-training-module.input';
import { TrainingModulesArgs } from './dto/training-modules.args';
import { TrainingCoverageConnection } from './models/training-coverage.model';
import {
  AcknowledgeTrainingPayload,
  TrainingModuleConnection,
  TrainingModuleModel,
  TrainingModulePayload,
} from './models/training-module.model';
import { TrainingCoverageService } from './training-coverage.service';
import { TrainingService } from './training.service';

@Resolver(() => TrainingModuleModel)
export class TrainingResolver {
  constructor(
    private readonly training: TrainingService,
    private readonly coverageReport: TrainingCoverageService,
  ) {}

  @Query(() => TrainingModuleConnection, {
    description:
      'The training modules of the network in their current versions, oldest first, with whether you have acknowledged each. Which ones you must acknowledge before you see client data is `me { training { pending } }`. For every signed-in person, trained or not; API clients are exempt from training.',
  })
  @RequirePermission(Permission.TRAINING_ACKNOWLEDGE)
  trainingModules(@CurrentActor() actor: Actor, @Args() args: TrainingModulesArgs) {
    return this.training.list(actor, args);
  }

  @Mutation(() => TrainingModulePayload, {
    description:
      'Publish a training module (version 1), or with `moduleId` a new version of one: the staff it concerns must acknowledge the new version before they see client data again. The NETWORK_ADMIN publishes for any audience; a SERVICE_AREA_LEAD only for the area they lead (another audience is FORBIDDEN). Audited (`training.publish`).',
  })
  @RequirePermission(Permission.TRAINING_PUBLISH_ANY_AREA, Permission.TRAINING_PUBLISH_LED_AREA)
  publishTrainingModule(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The module, or its new version.' }) input: PublishTrainingModuleInput,
  ) {
    return this.training.publish(actor, input);
  }

  @Mutation(() => AcknowledgeTrainingPayload, {
    description:
      'Acknowledge that you have read the current version of a training module. Once every module you must acknowledge is (`me { training }`), operations that return client data answer again. Only the current version can be acknowledged (another is CONFLICT naming `version`); acknowledging it again changes nothing. People only. Audited (`training.acknowledge`).',
  })
  @RequirePermission(Permission.TRAINING_ACKNOWLEDGE)
  acknowledgeTraining(@CurrentActor() actor: Actor, @Args() args: AcknowledgeTrainingArgs) {
    return this.training.acknowledge(actor, args);
  }

  @Query(() => TrainingCoverageConnection, {
    description:
      "How many of each organization's staff have acknowledged the training they must, overall and per audience, ordered by organization name and then id. Counts only: never who. The NETWORK_ADMIN reads every active organization; a SERVICE_AREA_LEAD the organizations with an ACTIVE service in the area they lead. Every report is audited (`training.coverage`).",
  })
  @RequirePermission(Permission.TRAINING_COVERAGE_ANY, Permission.TRAINING_COVERAGE_LED_AREA)
  trainingCoverage(@CurrentActor() actor: Actor, @Args() args: ConnectionArgs) {
    return this.coverageReport.coverage(actor, args);
  }
}
