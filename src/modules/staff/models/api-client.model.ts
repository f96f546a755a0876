import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiScope } from '@harbour/authz';
import { MutationPayload } from '../../../common/mutation-payload.model';

@ObjectType('ApiClient', { description: 'A partner system that acts for your organization with an API key.' })
export class ApiClientModel {
  @Field(() => ID, { description: 'Id of the API client.' })
  id: string;

  @Field({ description: 'Name of the system.' })
  name: string;

  @Field({ description: 'The public part of its key (`hbk_<keyPrefix>_…`), to tell keys apart. Not a secret.' })
  keyPrefix: string;

  @Field(() => [ApiScope], { description: 'What the system may do.' })
  scopes: ApiScope[];

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was revoked; its key stopped working on the next request.',
  })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its key was last used (to the minute).' })
  lastUsedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When an ORG_ADMIN attested, creating it, that the staff operating it were trained (the audit log names who). Null for keys created before attestations were required.',
  })
  operatorsTrainingAttestedAt: Date | null;
}

@ObjectType({
  description:
    'The answer of `createApiClient`: the new API client and its key, shown only this once, with `warnings` (empty: its input holds no free text about a client).',
})
export class CreateApiClientPayload extends MutationPayload {
  @Field(() => ApiClientModel, { description: 'The API client.' })
  apiClient: ApiClientModel;

  @Field({
    description:
      'The API key: send as `Authorization: Bearer <apiKey>`. Harbour keeps only a hash; store it in a secret store now.',
  })
  apiKey: string;
}

@ObjectType({
  description:
    'The answer of `revokeApiClient`: the API client after the change, with `warnings` (empty: its input holds no free text about a client).',
})
export class ApiClientPayload extends MutationPayload {
  @Field(() => ApiClientModel, { description: 'The API client, now revoked.' })
  apiClient: ApiClientModel;
}
