import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, URL_MAX_LENGTH } from '../../../common/field-limits';
import { TrainingAudience } from '../../../common/training-audience';

@InputType({
  description:
    'A new training module, or (with `moduleId`) a new version of an existing one: the text given replaces the current one and everyone it concerns acknowledges again.',
})
export class PublishTrainingModuleInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The module to publish a new version of; omitted for a new module (version 1).',
  })
  @IsOptional()
  @IsUUID('all')
  moduleId?: string | null;

  @Field(() => TrainingAudience, {
    nullable: true,
    description:
      "Whose staff must acknowledge it. Required for a new module; for a new version it may be omitted, and if given must be the module's (an audience never changes). A SERVICE_AREA_LEAD publishes only for the area they lead.",
  })
  @IsOptional()
  @IsEnum(TrainingAudience)
  audience?: TrainingAudience | null;

  @Field({ description: `Title, 1 to ${NAME_MAX_LENGTH} characters.` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  title: string;

  @Field({ description: `What the module teaches, 1 to ${DESCRIPTION_MAX_LENGTH} characters.` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  summary: string;

  @Field({ description: `Where the material is: an absolute https URL of at most ${URL_MAX_LENGTH} characters.` })
  @IsUrl({ require_protocol: true, protocols: ['https'] }, { message: '$property must be an absolute https URL' })
  @MaxLength(URL_MAX_LENGTH)
  url: string;
}
