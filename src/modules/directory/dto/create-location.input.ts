import { Field, Float, InputType } from '@nestjs/graphql';
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
    'A new location of the acting organization. A PHYSICAL location needs addressLine1 and city; a VIRTUAL one needs url and has no address or coordinates. Latitude and longitude go together.',
})
export class CreateLocationInput {
  @Field({
    description: `Name of the location (1 to ${NAME_MAX_LENGTH} characters). Shown to every caller, even when the location is confidential: keep it generic then.`,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name: string;

  @Field(() => LocationKind, { description: 'A place people visit, or a virtual location.' })
  @IsEnum(LocationKind)
  kind: LocationKind;

  @Field(() => String, {
    nullable: true,
    description: `What to know about the location (up to ${DESCRIPTION_MAX_LENGTH} characters). Shown to every caller, even when the location is confidential: never put its whereabouts here.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `First address line, street and number (up to ${ADDRESS_LINE_MAX_LENGTH} characters). Required for a PHYSICAL location.`,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ADDRESS_LINE_MAX_LENGTH)
  addressLine1?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Second address line, unit or floor (up to ${ADDRESS_LINE_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(ADDRESS_LINE_MAX_LENGTH)
  addressLine2?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `City (up to ${ADDRESS_PART_MAX_LENGTH} characters). Required for a PHYSICAL location.`,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ADDRESS_PART_MAX_LENGTH)
  city?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Province, state or region (up to ${ADDRESS_PART_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(ADDRESS_PART_MAX_LENGTH)
  region?: string | null;

  @Field(() => String, { nullable: true, description: `Postal code (up to ${ADDRESS_PART_MAX_LENGTH} characters).` })
  @IsOptional()
  @IsString()
  @MaxLength(ADDRESS_PART_MAX_LENGTH)
  postalCode?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Latitude in decimal degrees, -90 to 90 (WGS 84), kept to 7 decimal places. Give it with longitude.',
  })
  @IsOptional()
  @Transform(roundCoordinate)
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Longitude in decimal degrees, -180 to 180 (WGS 84), kept to 7 decimal places. Give it with latitude.',
  })
  @IsOptional()
  @Transform(roundCoordinate)
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Web address, an absolute http or https URL. Required for a VIRTUAL location.',
  })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(URL_MAX_LENGTH)
  url?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True to show the address, coordinates and URL only to your own organization (for example a shelter for people fleeing violence). Default false.',
  })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean | null;
}
