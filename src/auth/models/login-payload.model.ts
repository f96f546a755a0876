import { Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * The one exception to the mutation results of MutationPayload: what these mutations answer with is
 * a credential, not an object that changed, and nothing the caller writes is kept as free text.
 */
@ObjectType({
  description:
    'A short-lived access token acting for one organization: the answer of the credential mutations `login`, `acceptInvitation` and `changePassword`. They are the exception to the rule that a mutation answers with the object it changed and `warnings`: their answer is a credential, and nothing they take is kept as free text. Read the signed-in person with `me`.',
})
export class LoginPayload {
  @Field({ description: 'Send as `Authorization: Bearer <accessToken>`. Never log or store it beyond its lifetime.' })
  accessToken: string;

  @Field({ description: 'Always "Bearer".' })
  tokenType: string;

  @Field({ description: 'When the token stops working (UTC). Sign in again after it.' })
  expiresAt: Date;

  @Field(() => ID, { description: 'The organization every request with this token acts for.' })
  organizationId: string;
}
