import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { LocationKind } from '../directory.enums';

const HIDDEN = 'Null for a confidential location unless you act for its organization.';

@ObjectType('Location', {
  description:
    "Where a service is delivered (Open Referral HSDS location). A confidential location (for example a shelter for people fleeing violence) is listed for everyone, but its address, coordinates and web address are shown only to callers acting for the location's own organization.",
})
export class LocationModel {
  @Field(() => ID, { description: 'Id of the location.' })
  id: string;

  @Field({ description: 'Name of the location. Shown to every caller, even when the location is confidential.' })
  name: string;

  @Field(() => LocationKind, { description: 'A place people visit, or a virtual location.' })
  kind: LocationKind;

  @Field(() => String, {
    nullable: true,
    description: 'What to know about the location. Shown to every caller, even when the location is confidential.',
  })
  description: string | null;

  @Field(() => String, { nullable: true, description: `First address line (street and number). ${HIDDEN}` })
  addressLine1: string | null;

  @Field(() => String, { nullable: true, description: `Second address line (unit, floor). ${HIDDEN}` })
  addressLine2: string | null;

  @Field(() => String, { nullable: true, description: `City. ${HIDDEN}` })
  city: string | null;

  @Field(() => String, { nullable: true, description: `Province, state or region. ${HIDDEN}` })
  region: string | null;

  @Field(() => String, { nullable: true, description: `Postal code. ${HIDDEN}` })
  postalCode: string | null;

  @Field(() => Float, { nullable: true, description: `Latitude in decimal degrees (WGS 84). ${HIDDEN}` })
  latitude: number | null;

  @Field(() => Float, { nullable: true, description: `Longitude in decimal degrees (WGS 84). ${HIDDEN}` })
  longitude: number | null;

  @Field(() => String, {
    nullable: true,
    description: `Web address of a virtual location (video room, online form). ${HIDDEN}`,
  })
  url: string | null;

  @Field({
    description:
      "True when the location's whereabouts are shown only to its own organization. Other callers still see that it exists and can refer people to its services.",
  })
  confidential: boolean;
}

export const LocationConnection = ConnectionType(LocationModel, 'location', 'Location');

@ObjectType('LocationPayload', {
  description:
    "The answer of `createLocation` and `updateLocation`: the location after the change, with `warnings` (empty: directory text is the organization's own, not a client's).",
})
export class LocationPayload extends MutationPayload {
  @Field(() => LocationModel, { description: 'The location after the change.' })
  location: LocationModel;
}
