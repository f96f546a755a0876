import { Field, Float, InputType } from '@nestjs/graphql';
import { NotNullWhenPresent } from '@harbour/graphql-kit';
import {
  IsBoolean,
  IsEnum,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DESCRIPTION_MAX_LENGTH, HTTP_URL, NAME_MAX_LENGTH, URL_MAX_LENGTH } from '../../../common/field-limits';
import { LocationKind } from '../directory.enums';
import { ADDRESS_LINE_MAX_LENGTH, ADDRESS_PART_MAX_LENGTH, roundCoordinate } from './location-fields';
import { Transform } from 'class-transformer';

@InputType({
  description:
    'Changes to a location. An omitted field keeps its value; `null` clears a field that may be empty and is refused for the others. The result must still satisfy the rules of CreateLocationInput (PHYSICAL: addressLine1 and city; VIRTUAL: url and no address).',
})
export class UpdateLocationInput {
  @Field(() => String, {
    nullable: true,
    description: `Name of the location (1 to ${NAME_MAX_LENGTH} characters). Shown to every caller.`,
  })
  @NotNullWhenPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name?: string;

  @Field(() => LocationKind, { nullable: true, description: 'A place people visit, or a virtual location.' })
  @NotNullWhenPresent()
  @IsEnum(LocationKind)
  kind?: LocationKind;

  @Field(() => String, {
    nullable: true,
    description: 'What to know about the location; shown to every caller. Null clears it.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'First address line; null clears it.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ADDRESS_LINE_MAX_LENGTH)
  addressLine1?: string | null;

  @Field(() => String, { nullable: true, description: 'Second address line; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(ADDRESS_LINE_MAX_LENGTH)
  addressLine2?: string | null;

  @Field(() => String, { nullable: true, description: 'City; null clears it.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ADDRESS_PART_MAX_LENGTH)
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Province, state or region; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(ADDRESS_PART_MAX_LENGTH)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Postal code; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(ADDRESS_PART_MAX_LENGTH)
  postalCode?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Latitude, -90 to 90, kept to 7 decimal places; null clears it (clear longitude with it).',
  })
  @IsOptional()
  @Transform(roundCoordinate)
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Longitude, -180 to 180, kept to 7 decimal places; null clears it (clear latitude with it).',
  })
  @IsOptional()
  @Transform(roundCoordinate)
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: 'Web address, an absolute http or https URL; null clears it.' })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(URL_MAX_LENGTH)
  url?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'True to show the whereabouts only to your own organization.' })
  @NotNullWhenPresent()
  @IsBoolean()
  confidential?: boolean;
}
