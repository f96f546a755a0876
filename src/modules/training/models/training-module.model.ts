import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { TrainingStatusModel } from '../../../auth/models/training-status.model';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { TrainingAudience } from '../../../common/training-audience';

@ObjectType('TrainingModule', {
  description:
    "A training module in its current version: what staff must read and acknowledge before they see client data. Published by the NETWORK_ADMIN (any audience) or a service area's lead (their area).",
})
export class TrainingModuleModel {
  @Field(() => ID, { description: 'Id of the module; it stays the same across versions.' })
  id: string;

  @Field(() => TrainingAudience, { description: 'Whose staff must acknowledge it.' })
  audience: TrainingAudience;

  @Field({ description: 'Title of the module.' })
  title: string;

  @Field({ description: 'What it teaches, in a few sentences.' })
  summary: string;

  @Field({ description: 'Where the material is: an https URL.' })
  url: string;

  @Field(() => Int, {
    description: 'The current version, from 1. A new version needs a new acknowledgement from everyone it concerns.',
  })
  version: number;

  @Field({ description: 'When the current version was published.' })
  publishedAt: Date;

  @Field({ description: 'True when the calling person has acknowledged the current version.' })
  acknowledged: boolean;
}

export const TrainingModuleConnection = ConnectionType(TrainingModuleModel, 'training module', 'TrainingModule');

@ObjectType({
  description:
    'The answer of `publishTrainingModule`: the module in the version just published, with `warnings` (empty: its input holds no free text about a client).',
})
export class TrainingModulePayload extends MutationPayload {
  @Field(() => TrainingModuleModel, { description: 'The module, in its new current version.' })
  trainingModule: TrainingModuleModel;
}

@ObjectType({
  description:
    "The answer of `acknowledgeTraining`: the module acknowledged and the person's training status after it, with `warnings` (empty: its input holds no free text).",
})
export class AcknowledgeTrainingPayload extends MutationPayload {
  @Field(() => TrainingModuleModel, { description: 'The module, acknowledged in its current version.' })
  trainingModule: TrainingModuleModel;

  @Field(() => TrainingStatusModel, {
    description: "The person's training for the acting organization after this acknowledgement.",
  })
  training: TrainingStatusModel;
}
