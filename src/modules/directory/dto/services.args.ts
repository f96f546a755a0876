import { ArgsType, Field, Float, ID, InputType } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { Transform, Type } from 'class-transformer';
import { roundCoordinate } from './location-fields';
import {
  IsBoolean,
  IsEnum,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SEARCH_TEXT_MAX_LENGTH } from '../../../common/field-limits';
import { CapacitySignal, ServiceStatus } from '../directory.enums';
import { ServiceArea } from '../../../common/service-area';
import { LANGUAGE_TAG } from '../../../common/text';

export const MAX_RADIUS_KM = 100;

@InputType({ description: 'A circle on the map: services with a location inside it match.' })
export class NearInput {
  @Field(() => Float, { description: 'Latitude of the centre, -90 to 90 (WGS 84), kept to 7 decimal places.' })
  @Transform(roundCoordinate)
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude: number;

  @Field(() => Float, { description: 'Longitude of the centre, -180 to 180 (WGS 84), kept to 7 decimal places.' })
  @Transform(roundCoordinate)
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude: number;

  @Field(() => Float, {
    description: `Radius in kilometres, more than 0 and at most ${MAX_RADIUS_KM} (great-circle distance).`,
  })
  @IsNumber()
  @IsPositive()
  @Max(MAX_RADIUS_KM)
  radiusKm: number;
}

@InputType({
  description: 'Narrows the services list. Every filter given must match (AND); omitted filters match everything.',
})
export class ServicesFilterInput {
  @Field(() => ServiceArea, { nullable: true, description: 'Only services of this service area.' })
  @IsOptional()
  @IsEnum(ServiceArea)
  serviceArea?: ServiceArea | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Only services delivered in this language, a BCP 47 tag. Ignores case; `fr` also matches regional variants such as `fr-CA`.',
  })
  @IsOptional()
  @IsString()
  @Matches(LANGUAGE_TAG, { message: '$property must be a BCP 47 language tag such as en, fr-CA or zh-Hant' })
  language?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only services that take referrals through Harbour (true) or that do not (false).',
  })
  @IsOptional()
  @IsBoolean()
  acceptsReferrals?: boolean | null;

  @Field(() => CapacitySignal, { nullable: true, description: 'Only services with this capacity signal.' })
  @IsOptional()
  @IsEnum(CapacitySignal)
  capacity?: CapacitySignal | null;

  @Field(() => ServiceStatus, {
    nullable: true,
    description: 'Only services in this operating state. Without it, every state is listed, INACTIVE included.',
  })
  @IsOptional()
  @IsEnum(ServiceStatus)
  status?: ServiceStatus | null;

  @Field(() => String, {
    nullable: true,
    description: `Only services whose name or description contains this text, ignoring case (up to ${SEARCH_TEXT_MAX_LENGTH} characters; \`%\` and \`_\` match themselves).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(SEARCH_TEXT_MAX_LENGTH)
  text?: string | null;

  @Field(() => NearInput, {
    nullable: true,
    description:
      'Only services with a location within this distance. A confidential location counts only for callers acting for its own organization, so distance searches never reveal where it is.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => NearInput)
  near?: NearInput | null;

  @Field(() => ID, { nullable: true, description: 'Only services of this organization.' })
  @IsOptional()
  @IsUUID('all')
  organizationId?: string | null;
}

@ArgsType()
export class ServicesArgs extends ConnectionArgs {
  @Field(() => ServicesFilterInput, { nullable: true, description: 'Optional filters, combined with AND.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServicesFilterInput)
  filter?: ServicesFilterInput | null;
}
