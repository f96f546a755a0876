import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiScope, Permission, Role } from '@harbour/authz';
import { ServiceArea } from '../../common/service-area';
import { TrainingStatusModel } from './training-status.model';

export enum ActorKind {
  STAFF = 'STAFF',
  API_CLIENT = 'API_CLIENT',
}

registerEnumType(ActorKind, {
  name: 'ActorKind',
  description: 'Whether the caller is a person or a partner system.',
  valuesMap: {
    STAFF: { description: 'A person signed in with `login`.' },
    API_CLIENT: { description: 'A partner system using an API key.' },
  },
});

@ObjectType({ description: "A person's roles in one organization." })
export class MembershipView {
  @Field(() => ID, { description: 'The organization.' })
  organizationId: string;

  @Field({ description: "The organization's name." })
  organizationName: string;

  @Field(() => [Role], { description: 'Roles held in that organization.' })
  roles: Role[];

  @Field(() => ServiceArea, {
    nullable: true,
    description: 'For a SERVICE_AREA_LEAD: the service area they report on.',
  })
  leadServiceArea: ServiceArea | null;
}

@ObjectType({ description: 'The calling person or partner system, as Harbour sees it on this request.' })
export class Me {
  @Field(() => ActorKind, { description: 'Person or partner system.' })
  kind: ActorKind;

  @Field(() => ID, { description: 'Staff account id, or API client id.' })
  id: string;

  @Field(() => String, { nullable: true, description: "The signed-in person's email; null for API clients." })
  email: string | null;

  @Field({ description: "The person's display name, or the API client's name." })
  displayName: string;

  @Field(() => ID, { description: 'The organization this request acts for.' })
  organizationId: string;

  @Field({ description: "The acting organization's name." })
  organizationName: string;

  @Field(() => [Role], { description: 'Roles held in the acting organization (empty for API clients).' })
  roles: Role[];

  @Field(() => [ApiScope], { description: 'Scopes of the API client (empty for people).' })
  scopes: ApiScope[];

  @Field(() => [Permission], {
    description: 'Effective permissions on this request, looked up fresh on every request.',
  })
  permissions: Permission[];

  @Field(() => [MembershipView], {
    description:
      'Every active membership of the person (sign in again with another organizationId to act for it); empty for API clients.',
  })
  memberships: MembershipView[];

  @Field(() => TrainingStatusModel, {
    nullable: true,
    description:
      "The person's training for the acting organization: complete or not, and the modules still to acknowledge. Null for API clients, which are exempt (their operators' training is attested when the key is created).",
  })
  training: TrainingStatusModel | null;
}
