import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { TrainingAudience } from '../../../common/training-audience';

@ObjectType('TrainingAudienceCoverage', {
  description: "How many of an organization's staff have acknowledged every current module of one audience.",
})
export class TrainingAudienceCoverageModel {
  @Field(() => TrainingAudience, {
    description: "ALL, or a service area of one of the organization's ACTIVE services.",
  })
  audience: TrainingAudience;

  @Field(() => Int, { description: 'Current modules of this audience.' })
  moduleCount: number;

  @Field(() => Int, { description: 'Active staff who have acknowledged every one of them in its current version.' })
  trainedCount: number;

  @Field(() => Int, { description: 'Active staff with at least one of them still to acknowledge.' })
  untrainedCount: number;
}

@ObjectType('TrainingCoverage', {
  description:
    "Whether an organization's staff are trained before they see client data: counts only — never who is or is not trained.",
})
export class TrainingCoverageModel {
  @Field(() => ID, { description: 'The organization.' })
  organizationId: string;

  @Field({ description: "The organization's name." })
  organizationName: string;

  @Field(() => Int, { description: 'People with an active membership of the organization.' })
  staffCount: number;

  @Field(() => Int, {
    description: 'Of them, those who have acknowledged every module they must (ALL and the areas below).',
  })
  trainedCount: number;

  @Field(() => Int, { description: 'Of them, those with a module still to acknowledge: refused client data.' })
  untrainedCount: number;

  @Field(() => [TrainingAudienceCoverageModel], {
    description:
      "Per audience its staff must acknowledge: ALL first, then each service area of the organization's ACTIVE services (for a SERVICE_AREA_LEAD, ALL and the area they lead).",
  })
  audiences: TrainingAudienceCoverageModel[];
}

export const TrainingCoverageConnection = ConnectionType(
  TrainingCoverageModel,
  "organization's training coverage",
  'TrainingCoverage',
);
