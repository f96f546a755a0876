import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DESCRIPTION_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  HTTP_URL,
  NAME_MAX_LENGTH,
  URL_MAX_LENGTH,
} from '../../../common/field-limits';
import { CapacitySignal, ServiceStatus } from '../directory.enums';
import { ServiceArea } from '../../../common/service-area';
import { ScheduleEntryInput } from './schedule-entry.input';
import { LANGUAGE_TAG, LANGUAGE_TAG_MESSAGE, MAX_LANGUAGES } from '../../../common/text';
import { MAX_AGE, MAX_LOCATIONS_PER_SERVICE, MAX_SCHEDULE_ENTRIES, MIN_AGE } from './service-fields';

@InputType({
  description:
    'A new service of the acting organization. Creating it confirms the record: `assuredAt` is set to now. Eligibility is described by needs, age and circumstances only.',
})
export class CreateServiceInput {
  @Field({ description: `Name of the service (1 to ${NAME_MAX_LENGTH} characters).` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name: string;

  @Field(() => String, {
    nullable: true,
    description: `Another name the service is known by (up to ${NAME_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  alternateName?: string | null;

  @Field({ description: `What the service offers (1 to ${DESCRIPTION_MAX_LENGTH} characters).` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description: string;

  @Field(() => String, { nullable: true, description: 'Web page of the service: an absolute http or https URL.' })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(URL_MAX_LENGTH)
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email address of the service.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string | null;

  @Field(() => ServiceArea, { description: 'The service area the service belongs to.' })
  @IsEnum(ServiceArea)
  serviceArea: ServiceArea;

  @Field(() => [String], {
    nullable: true,
    description: `Languages the service is delivered in: up to ${MAX_LANGUAGES} BCP 47 tags such as \`en\`, \`fr-CA\` (default: none).`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LANGUAGES)
  @Matches(LANGUAGE_TAG, { each: true, message: LANGUAGE_TAG_MESSAGE })
  languages?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: `Who the service is for, in plain language (up to ${DESCRIPTION_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  eligibilityDescription?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Youngest age served, ${MIN_AGE} to ${MAX_AGE} years; not above maximumAge.`,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_AGE)
  @Max(MAX_AGE)
  minimumAge?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Oldest age served, ${MIN_AGE} to ${MAX_AGE} years; not below minimumAge.`,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_AGE)
  @Max(MAX_AGE)
  maximumAge?: number | null;

  @Field(() => ServiceStatus, { nullable: true, description: 'Whether the service is operating (default ACTIVE).' })
  @IsOptional()
  @IsEnum(ServiceStatus)
  status?: ServiceStatus | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the service takes referrals through Harbour (default true).',
  })
  @IsOptional()
  @IsBoolean()
  acceptsReferrals?: boolean | null;

  @Field(() => CapacitySignal, {
    nullable: true,
    description: 'Whether the service can take people now (default AVAILABLE).',
  })
  @IsOptional()
  @IsEnum(CapacitySignal)
  capacity?: CapacitySignal | null;

  @Field(() => String, {
    nullable: true,
    description: `How to apply or get started (up to ${DESCRIPTION_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  applicationProcess?: string | null;

  @Field(() => String, { nullable: true, description: `Fees, if any (up to ${DESCRIPTION_MAX_LENGTH} characters).` })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  feesDescription?: string | null;

  @Field(() => [ScheduleEntryInput], {
    nullable: true,
    description: `Regular opening hours, up to ${MAX_SCHEDULE_ENTRIES} entries (default: none).`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SCHEDULE_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => ScheduleEntryInput)
  schedules?: ScheduleEntryInput[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: `Where the service is delivered: up to ${MAX_LOCATIONS_PER_SERVICE} ids of the acting organization's own locations (another organization's location gives NOT_FOUND).`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LOCATIONS_PER_SERVICE)
  @IsUUID('all', { each: true })
  locationIds?: string[] | null;
}
